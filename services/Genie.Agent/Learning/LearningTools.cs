using System.Diagnostics;
using System.Text.Json;
using Genie.Agent.Telemetry;
using Google.Protobuf;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Learning;

/// <summary>
/// The LmsBridge lookups a model may call, bound to one caller's token. Results are LmsBridge's own
/// messages as proto JSON (defaults included, so a 0% is stated, not omitted): the model gets the same
/// facts the portal shows. No tool takes a user: identity is the token's.
/// </summary>
public static class LearningTools
{
    public const string GetMyProgress = "get_my_progress";
    public const string ListAssignedCourses = "list_assigned_courses";
    public const string GetCourse = "get_course";
    public const string GetLastTestResult = "get_last_test_result";
    public const string ListReminders = "list_reminders";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private const string NoArguments = """{"type":"object","properties":{}}""";

    public static IReadOnlyList<AIFunction> For(LearningRecords records, string userToken) =>
    [
        new LearningTool(GetMyProgress,
            "The learner's progress in every assigned course: completion percent, units completed/total, the next unit (name, position, url, status), last activity, due date, test scores, overall completion. Use for 'what should I do next?' and 'how am I doing?'.",
            NoArguments,
            async (_, ct) => Json(await records.ProgressAsync(userToken, ct))),
        new LearningTool(ListAssignedCourses,
            "The learner's enrolled courses, short form: name, code, role, completion percent, status, due date.",
            NoArguments,
            async (_, ct) => Json(await records.CoursesAsync(userToken, ct))),
        new LearningTool(GetCourse,
            "One course the learner is enrolled in, with its units in order and the learner's status in each unit.",
            """{"type":"object","properties":{"course_id":{"type":"string","description":"The course_id from get_my_progress or list_assigned_courses."}},"required":["course_id"]}""",
            async (args, ct) => Argument(args, "course_id") is { } id
                ? Json(await records.CourseAsync(userToken, id, ct))
                : Error("course_id is required")),
        new LearningTool(GetLastTestResult,
            "The learner's most recent quiz/test result, question by question: whether each was correct, the learner's answers and the correct answers.",
            """{"type":"object","properties":{"course_id":{"type":"string","description":"Optional: the last test within this course."}}}""",
            async (args, ct) => Json(await records.LastTestAsync(userToken, Argument(args, "course_id"), ct))),
        new LearningTool(ListReminders,
            "The learner's open reminders (no progress, due soon, failed test) with the reason and a link to continue.",
            NoArguments,
            async (_, ct) => Json(await records.RemindersAsync(userToken, ct))),
    ];

    private static string Json<T>(LearningLookup<T> lookup) where T : class, IMessage =>
        lookup.Value is { } value ? Formatter.Format(value) : Error(lookup.Problem ?? "no data");

    private static string Error(string problem) => JsonSerializer.Serialize(new { error = problem });

    private static string? Argument(AIFunctionArguments args, string name) =>
        args.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text ? text : null;

    private sealed class LearningTool(string name, string description, string schema, Func<AIFunctionArguments, CancellationToken, Task<string>> run) : AIFunction
    {
        private readonly JsonElement _schema = JsonDocument.Parse(schema).RootElement.Clone();

        public override string Name => name;

        public override string Description => description;

        public override JsonElement JsonSchema => _schema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            using var activity = AgentTelemetry.Source.StartActivity($"execute_tool {name}", ActivityKind.Internal);
            activity?.SetTag("gen_ai.operation.name", "execute_tool");
            activity?.SetTag("gen_ai.tool.name", name);
            return await run(arguments, cancellationToken);
        }
    }
}
