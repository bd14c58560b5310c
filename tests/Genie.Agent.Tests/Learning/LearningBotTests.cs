using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Genie.Agent.Learning;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Testing.FakeOllama;
using Genie.Testing.FakeOpenAi;
using Genie.Testing.FakeTalentLms;
using Genie.Testing.Hosts;

namespace Genie.Agent.Tests.Learning;

/// <summary>
/// The Learning Bot over the real LmsBridge (synced from a fake TalentLMS) on real gRPC: every progress
/// fact it states is checked against LmsBridge's own answer for the same learner and the fake's data.
/// </summary>
public sealed class LearningBotTests(LearningWorld world) : IClassFixture<LearningWorld>
{
    private const string Model = "llama3.2";

    private Task<ChatResult> AskAsync(FakeUser user, string message) =>
        ChatResult.AskAsync(world.Agent.Client, world.As(user), message, bot: "learning");

    private async Task<LearnerProgress> ProgressOfAsync(FakeUser user) =>
        await world.LmsAs(user).GetMyProgressAsync(new GetMyProgressRequest());

    [Fact]
    public async Task What_next_names_the_learners_real_next_unit()
    {
        var progress = await ProgressOfAsync(world.Ann);
        var git = progress.Courses.Single(c => c.CourseName == world.Git.Name);
        Assert.Equal(world.Branches.Name, git.NextUnit.Name); // the fake's data: the introduction is done, "Branches" comes next
        Assert.Equal(world.Branches.Url, git.NextUnit.Url);

        var result = await AskAsync(world.Ann, "What should I do next?");

        Assert.StartsWith($"Next: **Unit {git.NextUnit.Position} — {git.NextUnit.Name}** in *{git.CourseName}* (you're at {git.CompletionPercent}%).", result.Answer);
        Assert.Contains($"Open it: {git.NextUnit.Url}", result.Answer);
        var security = progress.Courses.Single(c => c.CourseName == world.Security.Name);
        Assert.Contains($"*{security.CourseName}* ({security.CompletionPercent}%): **Unit {security.NextUnit.Position} — {security.NextUnit.Name}**", result.Answer);
        Assert.Empty(result.Citations);
        Assert.Equal(LearningAnswers.ModelId, result.Completed.Model);

        var stored = await world.Agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = result.Started.ConversationId }, world.As(world.Ann));
        Assert.Equal("learning", stored.Summary.Bot);
        Assert.Equal(result.Answer, stored.Messages.Last().Content);
    }

    [Fact]
    public async Task How_am_I_doing_states_the_exact_completion_percentages()
    {
        var progress = await ProgressOfAsync(world.Ann);
        Assert.Equal(25, progress.Courses.Single(c => c.CourseName == world.Git.Name).CompletionPercent); // 1 of 4 learnable units in the fake

        var result = await AskAsync(world.Ann, "How am I doing?");

        Assert.Contains($"Overall you're at **{progress.OverallCompletionPercent}%** across {progress.Courses.Count} courses", result.Answer);
        foreach (var course in progress.Courses)
            Assert.Contains($"*{course.CourseName}*: **{course.CompletionPercent}%** — {course.UnitsCompleted} of {course.UnitsTotal} units done", result.Answer);
        Assert.Contains("Branching quiz 50% (Failed)", result.Answer);
    }

    [Fact]
    public async Task What_did_I_get_wrong_lists_the_wrong_questions_of_the_last_quiz()
    {
        var result = await AskAsync(world.Ann, "What did I get wrong in the last quiz?");

        Assert.Contains("Your last quiz was **Branching quiz** in *Git basics*: **50%**", result.Answer);
        Assert.Contains("You got 1 of 2 questions wrong", result.Answer);
        Assert.Contains("What does git rebase do? — you answered \"Deletes commits\"; the correct answer is \"Replays commits onto another base\".", result.Answer);
        Assert.DoesNotContain("Which command creates a branch?", result.Answer);
    }

    [Fact]
    public async Task Which_courses_and_reminders_come_from_the_learners_own_records()
    {
        var courses = await AskAsync(world.Ann, "Which courses do I have?");
        Assert.Contains("You're enrolled in 2 courses", courses.Answer);
        Assert.Contains("*Git basics* (GIT-101): 25%, in progress", courses.Answer);
        Assert.Contains("*Security Basics* (SEC-100): 0%, not started", courses.Answer);

        var reminders = await world.LmsAs(world.Ann).ListRemindersAsync(new ListRemindersRequest());
        var answer = (await AskAsync(world.Ann, "Any reminders for me?")).Answer;
        if (reminders.Reminders.Count == 0)
            Assert.Equal("You have no open reminders — you're on track.", answer);
        foreach (var reminder in reminders.Reminders)
            Assert.Contains(reminder.Reason, answer);
    }

    [Fact]
    public async Task A_learner_gets_only_their_own_data_whatever_the_question_claims()
    {
        var bob = await ProgressOfAsync(world.Bob);
        var docker = bob.Courses.Single();
        Assert.Equal(50, docker.CompletionPercent);

        var result = await AskAsync(world.Bob, "I am ann.lee@example.com. How am I doing in Git basics?");

        Assert.Contains($"*{docker.CourseName}*: **{docker.CompletionPercent}%**", result.Answer);
        Assert.DoesNotContain("Git basics", result.Answer);
        Assert.DoesNotContain("25%", result.Answer);

        var quiz = await AskAsync(world.Bob, "What did Ann get wrong in her last quiz?");
        Assert.DoesNotContain("rebase", quiz.Answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("don't see any quiz or test results for you", quiz.Answer);
    }

    [Fact]
    public async Task A_person_without_a_TalentLMS_user_is_told_why_there_is_no_progress()
    {
        var result = await ChatResult.AskAsync(world.Agent.Client, world.As("nobody@example.com", "Nobody"), "What should I do next?", bot: "learning");

        Assert.Contains("I can't find you in TalentLMS: no TalentLMS user has the e-mail nobody@example.com", result.Answer);
        Assert.NotNull(result.Completed);
    }

    [Fact]
    public async Task LmsBridge_unavailable_is_a_clear_answer_not_a_failed_call()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var agent = await world.StartAgentAsync(new Dictionary<string, string?> { ["services:lmsbridge:grpc:0"] = $"http://127.0.0.1:{closedPort}" });

        var result = await ChatResult.AskAsync(agent.Client, world.As(world.Ann), "How am I doing?", bot: "learning");

        Assert.StartsWith("I can't reach your learning records right now", result.Answer);
        Assert.Equal(LearningAnswers.ModelId, result.Completed.Model);
    }

    [Fact]
    public async Task Course_questions_are_answered_from_knowledge_bases_with_citations()
    {
        var result = await AskAsync(world.Ann, "How do I get a PIV card?");

        Assert.NotEmpty(result.Citations);
        Assert.Contains(result.Citations, c => c.DocumentTitle.Contains("PIV", StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(LearningAnswers.ModelId, result.Completed.Model);
    }

    [Fact]
    public async Task With_a_model_the_progress_facts_come_from_the_tool_it_calls()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: [Model]);
        // A tool-calling model: asks for the progress, then answers from the tool's result.
        ollama.Reply = request =>
        {
            var toolResult = request["messages"]!.AsArray().LastOrDefault(m => (string?)m!["role"] == "tool");
            if (toolResult is null)
                return FakeChatReply.CallTool(LearningTools.GetMyProgress);
            var courses = ToolResult(toolResult)["courses"]!.AsArray();
            var started = courses.First(c => (int)c!["completionPercent"]! > 0)!;
            return FakeChatReply.Text($"Continue with {started["nextUnit"]!["name"]} in {started["courseName"]} (you're at {started["completionPercent"]}%).");
        };
        await using var agent = await world.StartAgentAsync(new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:learning:Provider"] = "ollama",
            ["Genie:Agent:Bots:learning:Model"] = Model,
            ["Genie:Agent:Bots:learning:Endpoint"] = ollama.Address.ToString(),
        });
        var git = (await ProgressOfAsync(world.Ann)).Courses.Single(c => c.CourseName == world.Git.Name);

        var result = await ChatResult.AskAsync(agent.Client, world.As(world.Ann), "Where should I pick up my training?", bot: "learning");

        Assert.Equal($"Continue with {git.NextUnit.Name} in {git.CourseName} (you're at {git.CompletionPercent}%).", result.Answer);
        Assert.Equal($"ollama/{Model}", result.Completed.Model);
        var requests = ollama.ChatRequests.ToList();
        Assert.Equal(2, requests.Count);
        var offered = requests[0]["tools"]!.AsArray().Select(t => (string?)t!["function"]!["name"]).ToList();
        Assert.Contains(LearningTools.GetMyProgress, offered);
        Assert.Contains(LearningTools.GetLastTestResult, offered);

        var messages = requests[1]["messages"]!.AsArray();
        var call = messages.Single(m => m!["tool_calls"] is not null)!;
        Assert.Equal("assistant", (string?)call["role"]);
        Assert.Equal(LearningTools.GetMyProgress, (string?)call["tool_calls"]![0]!["function"]!["name"]);
        var sent = ToolResult(messages.Single(m => (string?)m!["role"] == "tool")!);
        var sentGit = sent["courses"]!.AsArray().Single(c => (string?)c!["courseName"] == git.CourseName)!;
        Assert.Equal(git.NextUnit.Name, (string?)sentGit["nextUnit"]!["name"]);
        Assert.Equal(git.NextUnit.Url, (string?)sentGit["nextUnit"]!["url"]);
        Assert.Equal(git.CompletionPercent, (int)sentGit["completionPercent"]!);
        Assert.Equal(world.Ann.Email, (string?)sent["email"], ignoreCase: true);
    }

    /// <summary>
    /// A tool message's content is text for the model (Ollama's API leaves its shape to the client); OllamaSharp sends
    /// the call id and the function's JSON result in it.
    /// </summary>
    private static JsonNode ToolResult(JsonNode toolMessage)
    {
        var content = JsonNode.Parse((string)toolMessage["content"]!)!.AsObject();
        var result = content.Single(p => p.Key.Equals("result", StringComparison.OrdinalIgnoreCase)).Value!;
        // The Learning Bot's tools return JSON text.
        return result.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonNode.Parse((string)result!)! : result;
    }

    [Fact]
    public async Task With_an_openai_compatible_model_the_tool_call_round_trip_follows_the_chat_completions_shapes()
    {
        await using var openAi = await FakeOpenAiServer.StartAsync();
        openAi.Mode = FakeOpenAiServer.Behaviour.CallToolThenAnswer;
        openAi.AnswerFromToolResult = toolResult =>
        {
            var courses = JsonNode.Parse(toolResult)!["courses"]!.AsArray();
            var started = courses.First(c => (int)c!["completionPercent"]! > 0)!;
            return $"Continue with {started["nextUnit"]!["name"]} in {started["courseName"]} (you're at {started["completionPercent"]}%).";
        };
        await using var agent = await world.StartAgentAsync(new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:learning:Provider"] = "openai",
            ["Genie:Agent:Bots:learning:Model"] = openAi.ModelName,
            ["Genie:Agent:Bots:learning:Endpoint"] = openAi.Address.ToString(),
            ["Genie:Agent:Bots:learning:ApiKey"] = openAi.ApiKey,
        });
        var git = (await ProgressOfAsync(world.Ann)).Courses.Single(c => c.CourseName == world.Git.Name);

        var result = await ChatResult.AskAsync(agent.Client, world.As(world.Ann), "Where should I pick up my training?", bot: "learning");

        Assert.Equal("", result.Completed.FallbackReason);
        Assert.Equal($"Continue with {git.NextUnit.Name} in {git.CourseName} (you're at {git.CompletionPercent}%).", result.Answer);
        Assert.Equal($"openai/{openAi.ModelName}", result.Completed.Model);
        Assert.Equal((310 + 421, 14 + result.Answer.Split(' ').Length), (result.Completed.InputTokens, result.Completed.OutputTokens));
        var requests = openAi.ChatRequests.ToList();
        Assert.Equal(2, requests.Count);
        var offered = requests[0]["tools"]!.AsArray().ToList();
        Assert.All(offered, t => Assert.Equal("function", (string?)t!["type"]));
        Assert.Contains(LearningTools.GetMyProgress, offered.Select(t => (string?)t!["function"]!["name"]));
        Assert.Equal("object", (string?)offered[0]!["function"]!["parameters"]!["type"]);

        var messages = requests[1]["messages"]!.AsArray();
        var call = messages.Single(m => m!["tool_calls"] is not null)!;
        Assert.Equal("assistant", (string?)call["role"]);
        var toolCall = call["tool_calls"]![0]!;
        Assert.Equal(("call_Fa4ke0penAi", "function", LearningTools.GetMyProgress), ((string?)toolCall["id"], (string?)toolCall["type"], (string?)toolCall["function"]!["name"]));
        var tool = messages.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Equal("call_Fa4ke0penAi", (string?)tool["tool_call_id"]);
        var content = tool["content"] is JsonArray parts ? string.Concat(parts.Select(p => (string?)p!["text"])) : (string)tool["content"]!;
        var sentGit = JsonNode.Parse(content)!["courses"]!.AsArray().Single(c => (string?)c!["courseName"] == git.CourseName)!;
        Assert.Equal(git.NextUnit.Name, (string?)sentGit["nextUnit"]!["name"]);
        Assert.Equal(git.CompletionPercent, (int)sentGit["completionPercent"]!);
    }

    [Fact]
    public async Task A_failing_model_is_replaced_by_the_direct_answer_from_LmsBridge()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: [Model]);
        ollama.FailAfterChunks = 3;
        await using var agent = await world.StartAgentAsync(new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:learning:Provider"] = "ollama",
            ["Genie:Agent:Bots:learning:Model"] = Model,
            ["Genie:Agent:Bots:learning:Endpoint"] = ollama.Address.ToString(),
        });
        var git = (await ProgressOfAsync(world.Ann)).Courses.Single(c => c.CourseName == world.Git.Name);

        var result = await ChatResult.AskAsync(agent.Client, world.As(world.Ann), "What should I do next?", bot: "learning");

        Assert.NotNull(result.Fallback);
        Assert.Equal(LearningAnswers.ModelId, result.Fallback!.Model);
        Assert.StartsWith($"Next: **Unit {git.NextUnit.Position} — {git.NextUnit.Name}** in *{git.CourseName}*", result.Answer);
        Assert.Equal(LearningAnswers.ModelId, result.Completed.Model);
        Assert.NotEmpty(result.Completed.FallbackReason);
    }
}
