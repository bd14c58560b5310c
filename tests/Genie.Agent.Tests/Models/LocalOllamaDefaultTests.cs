using Genie.Agent.Models;

namespace Genie.Agent.Tests.Models;

public sealed class LocalOllamaDefaultTests
{
    private static readonly BotModelOptions FoundByAppHost = new() { Provider = "ollama", Endpoint = "http://127.0.0.1:11434", Model = "llama3.2" };

    [Fact]
    public void A_bot_without_its_own_settings_uses_the_local_ollama()
    {
        var options = new AgentOptions { LocalOllama = FoundByAppHost };
        Assert.Equal(("ollama", "llama3.2"), (options.For("onboarding").Provider, options.For("onboarding").Model));
    }

    [Fact]
    public void A_bot_with_its_own_settings_keeps_them()
    {
        var options = new AgentOptions { LocalOllama = FoundByAppHost };
        options.Bots["learning"] = new BotModelOptions { Provider = "openai", Model = "gpt-4o-mini" };
        Assert.Equal("openai", options.For("learning").Provider);
        Assert.Equal("ollama", options.For("onboarding").Provider);
    }

    [Fact]
    public void Without_a_local_ollama_answers_are_built_in() =>
        Assert.Equal("builtin", new AgentOptions().For("onboarding").Provider);
}
