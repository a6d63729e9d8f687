using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotAgent.Teams;

/// <summary>
/// Builds the sideloadable Teams app package: manifest.json with the configured ids, and the two icons
/// it names, at the root of a zip.
/// </summary>
internal sealed class ManifestPackager(string manifestDirectory)
{
    public const string DefaultPackageName = "botagent-teams-app.zip";

    // The icon sizes Teams requires; it refuses a package whose icons differ.
    private const int ColorIconSize = 192;
    private const int OutlineIconSize = 32;

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // The file is read by Teams, not embedded in HTML: keep quotes and apostrophes in descriptions readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The manifest folder copied next to the binary by the build.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "manifest");

    public async Task PackAsync(TeamsAppSettings settings, string packagePath, CancellationToken cancellationToken)
    {
        var manifestText = await File.ReadAllTextAsync(Path.Combine(manifestDirectory, "manifest.json"), cancellationToken);
        var manifest = JsonNode.Parse(manifestText) as JsonObject ?? throw new InvalidDataException("manifest.json is not a JSON object.");
        Fill(manifest, settings);

        // Everything is read and checked before the zip is created, so a failure leaves no half-written package.
        var files = new List<(string Name, byte[] Content)> { ("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString(Indented))) };
        foreach (var (icon, size) in new[] { ("color", ColorIconSize), ("outline", OutlineIconSize) })
        {
            var name = manifest["icons"]?[icon]?.GetValue<string>() ?? throw new InvalidDataException($"manifest.json names no icons.{icon}.");
            var content = await File.ReadAllBytesAsync(Path.Combine(manifestDirectory, name), cancellationToken);
            CheckIcon(name, content, size);
            files.Add((name, content));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(packagePath))!);
        await using var file = new FileStream(packagePath, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null, cancellationToken);
        foreach (var (name, content) in files)
        {
            await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(cancellationToken);
            await entry.WriteAsync(content, cancellationToken);
        }
    }

    private static void Fill(JsonObject manifest, TeamsAppSettings settings)
    {
        manifest["id"] = settings.AppId.ToString("D");
        foreach (var bot in manifest["bots"]?.AsArray() ?? [])
        {
            if (bot is JsonObject entry)
                entry["botId"] = settings.BotId.ToString("D");
        }

        if (settings.Domain is not { } domain)
            return;
        if (manifest["validDomains"] is not JsonArray domains)
            manifest["validDomains"] = domains = [];
        if (!domains.Any(d => string.Equals(d?.GetValue<string>(), domain, StringComparison.OrdinalIgnoreCase)))
            domains.Add(domain);
    }

    private static void CheckIcon(string name, byte[] png, int size)
    {
        // PNG signature (8 bytes), then the IHDR chunk: length (4), type (4), width (4), height (4), all big-endian.
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature) || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException($"{name} is not a PNG file.");
        var width = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        if (width != size || height != size)
            throw new InvalidDataException($"{name} is {width}×{height}; Teams needs {size}×{size}.");
    }
}
