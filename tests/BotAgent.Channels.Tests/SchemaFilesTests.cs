namespace BotAgent.Channels.Tests;

/// <summary>
/// tests/schemas holds copies of the official schemas so a clean clone can run on its own; when the team's
/// shared folder is present (a sibling <c>shared/schemas</c> of an ancestor), the copies must equal it byte for byte.
/// </summary>
public sealed class SchemaFilesTests
{
    private static DirectoryInfo? Ancestor(Func<DirectoryInfo, bool> holds)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (holds(dir))
                return dir;
        }
        return null;
    }

    [Fact]
    public void Schema_copies_are_byte_identical_to_the_shared_originals()
    {
        var repository = Ancestor(d => Directory.Exists(Path.Combine(d.FullName, "tests", "schemas")));
        Assert.NotNull(repository);
        var copies = Directory.GetFiles(Path.Combine(repository.FullName, "tests", "schemas"), "*.json");
        Assert.NotEmpty(copies);

        var shared = Ancestor(d => Directory.Exists(Path.Combine(d.FullName, "shared", "schemas")));
        if (shared is null)
            return; // A clean clone without the team's shared folder: nothing to compare against.
        var originals = Path.Combine(shared.FullName, "shared", "schemas");

        foreach (var copy in copies)
        {
            var original = Path.Combine(originals, Path.GetFileName(copy));
            Assert.True(File.Exists(original), $"{Path.GetFileName(copy)} has no original in {originals}.");
            Assert.True(File.ReadAllBytes(copy).AsSpan().SequenceEqual(File.ReadAllBytes(original)), $"{copy} differs from {original}.");
        }
    }

    [Fact]
    public void Schema_the_card_tests_load_is_the_checked_in_copy()
    {
        var repository = Ancestor(d => Directory.Exists(Path.Combine(d.FullName, "tests", "schemas")));
        Assert.NotNull(repository);
        var loaded = Path.Combine(AppContext.BaseDirectory, "schemas", "adaptive-card-1.5.json");

        Assert.True(File.Exists(loaded), $"{loaded} is missing from the test output.");
        Assert.Equal(File.ReadAllBytes(Path.Combine(repository.FullName, "tests", "schemas", "adaptive-card-1.5.json")), File.ReadAllBytes(loaded));
    }
}
