namespace Genie.LmsBridge.Tests;

/// <summary>A clock the test sets: reminder rules and quiet hours are judged against it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
