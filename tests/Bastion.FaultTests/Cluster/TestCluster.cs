namespace Bastion.FaultTests.Cluster;

/// <summary>Two nodes on one PostgreSQL and one Redis, the mail catcher, and the controls that break them.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(FaultEnvironment environment, NodeCertificate certificate, IReadOnlyList<NodeProcess> nodes)
    {
        Http = certificate.CreateClient();
        Nodes = nodes;
        Redis = new RedisServer(environment);
        Postgres = new PostgresServer(environment);
        Mail = new MailCatcher(environment);
    }

    public HttpClient Http { get; }

    /// <summary>Node A runs from start to end (its memory is the run's figure); node B is the one killed and restarted.</summary>
    public IReadOnlyList<NodeProcess> Nodes { get; }

    public NodeProcess Survivor => Nodes[0];

    public NodeProcess Victim => Nodes[1];

    public RedisServer Redis { get; }

    public PostgresServer Postgres { get; }

    public MailCatcher Mail { get; }

    public static async Task<TestCluster> StartAsync(FaultEnvironment environment, CancellationToken cancellationToken)
    {
        var certificate = NodeCertificate.Create(environment.WorkDirectory);
        var postgres = new PostgresServer(environment);
        await postgres.CreateDatabaseAsync();
        var shared = NodeSettings.Shared(postgres.ConnectionString, new RedisServer(environment).ConnectionString, environment.SmtpPort, certificate);
        var nodes = environment.NodePorts.Select((port, i) =>
        {
            var name = ((char)('a' + i)).ToString();
            var address = new Uri($"https://127.0.0.1:{port}/");
            return new NodeProcess(name, address, environment.ServerDll, environment.WorkDirectory,
                NodeSettings.ForNode(shared, address, Path.Combine(environment.WorkDirectory, $"node-{name}")));
        }).ToList();

        var cluster = new TestCluster(environment, certificate, nodes);
        try
        {
            // One after the other: the first applies the schema and creates the administrator.
            foreach (var node in nodes)
            {
                await node.StartAsync(cluster.Http, cancellationToken);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.TerminateAsync();
        }

        Http.Dispose();
        Mail.Dispose();
    }
}
