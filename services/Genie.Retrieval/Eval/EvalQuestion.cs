using System.Text.Json;
using System.Text.Json.Serialization;

namespace Genie.Retrieval.Eval;

/// <summary>One line of a questions file: <c>{"question": "...", "answers_in": ["relative/path.md"]}</c>.</summary>
public sealed record EvalQuestion(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answers_in")] IReadOnlyList<string> AnswersIn)
{
    public static IReadOnlyList<EvalQuestion> Load(string path)
    {
        var questions = new List<EvalQuestion>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var question = JsonSerializer.Deserialize<EvalQuestion>(line)
                ?? throw new FormatException($"{path}:{lineNumber}: empty question");
            if (string.IsNullOrWhiteSpace(question.Question) || question.AnswersIn is not { Count: > 0 })
                throw new FormatException($"{path}:{lineNumber}: needs \"question\" and a non-empty \"answers_in\"");
            questions.Add(question);
        }
        return questions;
    }
}
