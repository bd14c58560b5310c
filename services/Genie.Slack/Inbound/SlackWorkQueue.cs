using System.Threading.Channels;

namespace Genie.Slack.Inbound;

/// <summary>Acknowledged work waiting for a worker; independent of any connection, so a reconnect loses none of it.</summary>
public sealed class SlackWorkQueue
{
    private readonly Channel<SlackWork> _channel = Channel.CreateUnbounded<SlackWork>(new UnboundedChannelOptions { SingleReader = false });

    public void Enqueue(SlackWork work)
    {
        if (!_channel.Writer.TryWrite(work))
            throw new InvalidOperationException("The Slack work queue is closed.");
    }

    public ChannelReader<SlackWork> Reader => _channel.Reader;
}
