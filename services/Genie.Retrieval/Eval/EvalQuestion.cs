using System.Text.Json;
using System.Text.Json.Serialization;

namespace Genie.Retrieval.Eval;

/// <summary>
/// One line of a questions file: <c>{"question": "...", "answers_in": ["relative/path.md"], "fact": "12 weeks"}</c>.
/// An empty <c>answers_in</c> marks a question the corpus does not answer; <c>fact</c> (optional) is what a right answer contains.
/// </summary>
public sealed record EvalQuestion(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answers_in")] IReadOnlyList<string> AnswersIn,
    [property: JsonPropertyName("fact")] string? Fact = null)
{
    [JsonIgnore]
    public bool Answerable => AnswersIn.Count > 0;

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
            if (string.IsNullOrWhiteSpace(question.Question) || question.AnswersIn is null)
                throw new FormatException($"{path}:{lineNumber}: needs \"question\" and \"answers_in\" (a list of corpus paths, empty when the corpus does not answer it)");
            questions.Add(question);
        }
        return questions;
    }
}
