using RazorSlices;

namespace BotAgent.Traces.Pages;

/// <summary>The shell around every trace page: its title, who is signed in (null: nobody with a cookie), and the page itself.</summary>
public sealed record DocumentModel(string Title, SignedIn? Viewer, RazorSlice Body);

/// <summary>A person signed in with the trace cookie, as the pages name them; <paramref name="PathBase"/> for the sign-out form.</summary>
public sealed record SignedIn(string? Name, string? Account, string PathBase);

public sealed record SignOutButton(string PathBase, string Label, bool Inline = false);

public sealed record SignInFailure(string PathBase, string Reason);

public sealed record UnknownRun(string PathBase, string Id);
