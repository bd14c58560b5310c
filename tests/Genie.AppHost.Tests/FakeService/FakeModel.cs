using Genie.AppHost.Hosting;
using Genie.AppHost.Projects;

namespace Genie.AppHost.Tests.FakeService;

internal static class FakeModel
{
    /// <summary>A project resource running <see cref="FakeServiceMain"/> as a child process.</summary>
    public static ResourceBuilder<ProjectResource> AddFakeService(this DistributedApplicationBuilder builder, string name) =>
        builder.AddDotnetAssembly(name, FakeServiceMain.AssemblyPath, AppContext.BaseDirectory, FakeServiceMain.Argument);

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (cts.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
