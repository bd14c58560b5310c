namespace Genie.AppHost.Hosting;

/// <summary>
/// A failure the user can fix, described in one line that says what to do. The AppHost prints the
/// message (never a stack trace) and exits non-zero.
/// </summary>
public sealed class AppHostException(string message, Exception? inner = null) : Exception(message, inner);
