using Lucene.Net.Analysis.En;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Genie.Retrieval.Sources;

namespace Genie.Retrieval.Eval;

/// <summary>
/// The eval command's peer: an established BM25 engine (Lucene.NET, <see cref="BM25Similarity"/> with its
/// defaults k1 = 1.2, b = 0.75, English analyzer with Porter stemming and stop words) over the same corpus
/// files, one Lucene document per file (path and full text), asked the same questions. Held in memory.
/// </summary>
public sealed class Bm25Peer : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private readonly RAMDirectory _directory = new();
    private readonly EnglishAnalyzer _analyzer = new(Version);
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    public int Documents => _reader.NumDocs;

    private Bm25Peer(IReadOnlyList<(string Uri, string Text)> documents)
    {
        var config = new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (var (uri, text) in documents)
            {
                writer.AddDocument(new Document
                {
                    new StringField("path", uri, Field.Store.YES),
                    new TextField("text", text, Field.Store.NO),
                });
            }
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>The files Genie's folder source ingests from <paramref name="corpus"/>, as they are on disk.</summary>
    public static async Task<Bm25Peer> IndexAsync(string corpus, CancellationToken ct)
    {
        await using var folder = new FolderDocumentSource(corpus, [], []);
        var documents = new List<(string, string)>();
        foreach (var item in await folder.DiscoverAsync(ct))
            documents.Add((item.Uri, System.Text.Encoding.UTF8.GetString((await folder.ReadAsync(item, ct)).Bytes)));
        return new Bm25Peer(documents);
    }

    /// <summary>Corpus-relative paths, best first.</summary>
    public IReadOnlyList<string> Search(string question, int k)
    {
        var parser = new QueryParser(Version, "text", _analyzer);
        var query = parser.Parse(QueryParserBase.Escape(question));
        return _searcher.Search(query, k).ScoreDocs.Select(d => _searcher.Doc(d.Doc).Get("path")).ToList();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}
