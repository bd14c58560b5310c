using Genie.Agent.Knowledge;

namespace Genie.Agent.Answering;

/// <summary>
/// One turn's way to score sentences by meaning: the caller's token and the knowledge base of the top passage, bound
/// to the search that found them. The model runner hands it to the built-in answerer in
/// <c>ChatOptions.AdditionalProperties[<see cref="OptionKey"/>]</c>; the token is a private field, never serialised.
/// </summary>
public sealed class SentenceMeaning(IKnowledgeSearch search, string userToken, string knowledgeBaseId)
{
    public const string OptionKey = "genie.sentence_meaning";

    /// <summary>Cosine similarity of each sentence to the question, in order; null when it could not be had.</summary>
    public Task<IReadOnlyList<double>?> ScoreAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken) =>
        search.ScoreSentencesAsync(new SentenceScoring(question, sentences, userToken, knowledgeBaseId), cancellationToken);
}
