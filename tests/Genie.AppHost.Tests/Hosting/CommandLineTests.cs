using Genie.AppHost.Hosting;

namespace Genie.AppHost.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public void Replicas_become_configuration_per_service()
    {
        var values = CommandLine.Parse(["--replicas", "agent=2,web=3", "--replicas=retrieval=4"]);

        Assert.Equal("2", values["Genie:Replicas:agent"]);
        Assert.Equal("3", values["Genie:Replicas:web"]);
        Assert.Equal("4", values["Genie:Replicas:retrieval"]);
    }

    [Fact]
    public void Other_options_are_configuration_keys()
    {
        var values = CommandLine.Parse(["--Genie:Ollama:Url=http://gpu-box:11434", "--Genie:Admin:Email", "me@example.com"]);

        Assert.Equal("http://gpu-box:11434", values["Genie:Ollama:Url"]);
        Assert.Equal("me@example.com", values["Genie:Admin:Email"]);
    }

    [Theory]
    [InlineData("agent=0")]
    [InlineData("agent=two")]
    [InlineData("agent")]
    [InlineData("=2")]
    public void A_bad_replica_count_is_explained(string value)
    {
        var error = Assert.Throws<AppHostException>(() => CommandLine.Parse(["--replicas", value]));

        Assert.Contains("--replicas expects service=count", error.Message);
    }

    [Fact]
    public void A_bare_word_is_rejected_with_the_usage()
    {
        var error = Assert.Throws<AppHostException>(() => CommandLine.Parse(["agent=2"]));

        Assert.Contains("Usage: run.sh [--replicas agent=2]", error.Message);
    }
}
