namespace Genie.AppHost.Dashboard;

/// <summary>Reports synchronously and in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
internal sealed class CallbackProgress<T>(Action<T> onReport) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
            onReport(value);
    }
}
