namespace Genie.AppHost.Setup;

/// <summary>A failure the user can fix, described in one line that says what to do (see <see cref="SetupFailures"/>).</summary>
public sealed class SetupException(string message, Exception? inner = null) : Exception(message, inner);
