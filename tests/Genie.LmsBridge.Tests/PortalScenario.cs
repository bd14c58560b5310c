using Genie.Testing.FakeTalentLms;

namespace Genie.LmsBridge.Tests;

/// <summary>
/// A small company portal: Ivy teaches "Git basics" (Ann and Bob learn it); "Docker 101" has Bob
/// and Carl and is taught by Dan. Ann finished the introduction and failed the branching quiz.
/// </summary>
public sealed class PortalScenario
{
    public static readonly DateTimeOffset AnnIntroDone = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AnnQuizFailed = new(2024, 3, 2, 11, 0, 0, TimeSpan.Zero);

    public PortalScenario(FakeTalentLmsData portal)
    {
        Ann = portal.AddUser("ann.lee@example.com", "Ann", "Lee");
        Bob = portal.AddUser("Bob.Stone@Example.com", "Bob", "Stone");
        Carl = portal.AddUser("carl@example.com", "Carl", "Diaz");
        Ivy = portal.AddUser("ivy@example.com", "Ivy", "Chen", "Instructor-Type");
        Dan = portal.AddUser("dan@example.com", "Dan", "Moss", "Instructor-Type");

        Git = portal.AddCourse("Git basics", "GIT-101");
        portal.AddUnit(Git, "Getting started", "Section");
        Intro = portal.AddUnit(Git, "Introduction");
        Branches = portal.AddUnit(Git, "Branches");
        Quiz = portal.AddUnit(Git, "Branching quiz", "Test");
        Rebase = portal.AddUnit(Git, "Rebasing");

        Docker = portal.AddCourse("Docker 101", "DOC-101");
        DockerIntro = portal.AddUnit(Docker, "What is a container");
        DockerLab = portal.AddUnit(Docker, "First image");

        portal.Enroll(Ivy, Git, "instructor");
        portal.Enroll(Ann, Git);
        portal.Enroll(Bob, Git);
        portal.Enroll(Dan, Docker, "instructor");
        portal.Enroll(Bob, Docker);
        portal.Enroll(Carl, Docker);

        portal.CompleteUnit(Ann, Intro, AnnIntroDone);
        portal.RecordTest(Ann, Quiz, 50, passed: false, AnnQuizFailed,
            new FakeQuestion("What does git rebase do?", false, ["Deletes commits"], ["Replays commits onto another base"]),
            new FakeQuestion("Which command creates a branch?", true, ["git branch"], ["git branch"]));
    }

    public FakeUser Ann { get; }
    public FakeUser Bob { get; }
    public FakeUser Carl { get; }
    public FakeUser Ivy { get; }
    public FakeUser Dan { get; }
    public FakeCourse Git { get; }
    public FakeUnit Intro { get; }
    public FakeUnit Branches { get; }
    public FakeUnit Quiz { get; }
    public FakeUnit Rebase { get; }
    public FakeCourse Docker { get; }
    public FakeUnit DockerIntro { get; }
    public FakeUnit DockerLab { get; }
}
