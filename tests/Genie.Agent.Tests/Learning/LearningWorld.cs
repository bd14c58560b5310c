using Genie.Agent.Tests.Support;
using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Sync;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing.FakeTalentLms;
using Genie.Testing.Hosts;
using Genie.Testing;
using Grpc.Core;

namespace Genie.Agent.Tests.Learning;

/// <summary>
/// A fake TalentLMS portal, the real LmsBridge (own database, synced from the portal) and the Agent with the
/// built-in Learning Bot, on loopback gRPC with one signing key. Ann learns "Git basics" (finished the
/// introduction, failed the branching quiz) and has not started "Security Basics"; Bob is half-way
/// through "Docker 101"; nobody@example.com has no TalentLMS user.
/// </summary>
public sealed class LearningWorld : IAsyncLifetime
{
    public LmsBridgeTestHost LmsBridge { get; private set; } = null!;

    public AgentTestHost Agent { get; private set; } = null!;

    public FakeUser Ann { get; private set; } = null!;

    public FakeUser Bob { get; private set; } = null!;

    public FakeCourse Git { get; private set; } = null!;

    public FakeUnit Branches { get; private set; } = null!;

    public FakeCourse Security { get; private set; } = null!;

    public FakeCourse Docker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        LmsBridge = await LmsBridgeTestHost.StartAsync();
        var portal = LmsBridge.TalentLms.Data;
        Ann = portal.AddUser("ann.lee@example.com", "Ann", "Lee");
        Bob = portal.AddUser("bob.stone@example.com", "Bob", "Stone");
        Git = portal.AddCourse("Git basics", "GIT-101");
        portal.AddUnit(Git, "Getting started", "Section");
        var intro = portal.AddUnit(Git, "Introduction");
        Branches = portal.AddUnit(Git, "Branches");
        var quiz = portal.AddUnit(Git, "Branching quiz", "Test");
        portal.AddUnit(Git, "Rebasing");
        Security = portal.AddCourse("Security Basics", "SEC-100");
        portal.AddUnit(Security, "Threat modelling");
        portal.AddUnit(Security, "Secure coding");
        Docker = portal.AddCourse("Docker 101", "DOC-101");
        var container = portal.AddUnit(Docker, "What is a container");
        portal.AddUnit(Docker, "First image");

        portal.Enroll(Ann, Git);
        portal.Enroll(Ann, Security);
        portal.Enroll(Bob, Docker);
        portal.CompleteUnit(Ann, intro, new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero));
        portal.RecordTest(Ann, quiz, 50, passed: false, new DateTimeOffset(2024, 3, 2, 11, 0, 0, TimeSpan.Zero),
            new FakeQuestion("What does git rebase do?", false, ["Deletes commits"], ["Replays commits onto another base"]),
            new FakeQuestion("Which command creates a branch?", true, ["git branch"], ["git branch"]));
        portal.CompleteUnit(Bob, container, new DateTimeOffset(2024, 3, 3, 9, 0, 0, TimeSpan.Zero));

        var sync = await LmsBridge.SyncAsync();
        if (sync.State != SyncStates.Succeeded) throw new InvalidOperationException($"The fixture sync ended {sync.State}: {sync.Error}");

        Agent = await StartAgentAsync();
    }

    /// <summary>Another Agent on the same LmsBridge (or another endpoint), e.g. with a model configured.</summary>
    public Task<AgentTestHost> StartAgentAsync(IDictionary<string, string?>? settings = null) =>
        AgentTestHost.StartAsync(new RecordingHandbookSearch(), TestSettings.Merge(LmsBridge.ClientSettings, settings));

    /// <summary>A person's call options for the Agent: identity only from the signed token.</summary>
    public CallOptions As(FakeUser user) => As(user.Email, user.FirstName);

    public CallOptions As(string email, string name) => Agent.As($"genie-{email}", Roles.Learner, email, name);

    /// <summary>What LmsBridge itself answers this learner: the reference the bot's facts are checked against.</summary>
    public LmsService.LmsServiceClient LmsAs(FakeUser user) => LmsBridge.Client(Roles.Learner, user.Email, user.FirstName);

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        await LmsBridge.DisposeAsync();
    }
}
