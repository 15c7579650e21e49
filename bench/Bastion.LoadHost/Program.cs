using Bastion.Hosting;
using Bastion.LoadHost;
using Bastion.Server;

// The real server for bench/run.sh: Kestrel on 127.0.0.1:<Bench:Port>, the production pipeline and the storage
// configured (any Bastion:* setting as --Bastion:Key=value or Bastion__Key), logging at Warning, and <Bench:Users>
// accounts bench0@example.com, bench1@example.com, … with the password <Bench:Password>. Prints "READY <url>"
// once the accounts exist, then serves until stopped.
//
// With a first argument "seed-equipment" or "prune-equipment" it serves nothing: with the same settings as a
// load host that has started once, it writes the search benchmark's data into that host's database
// (EquipmentSeeder; --Bench:Equipment rows, --Bench:Owners accounts) or deletes all of it but one department's
// (--Bench:KeepDepartment), and exits.
string[] commands = ["seed-equipment", "prune-equipment"];
var command = args.Length > 0 && commands.Contains(args[0]) ? args[0] : null;
var app = BastionServer.Create(["--environment", "Production", .. args.Skip(command is null ? 0 : 1)], builder =>
{
    builder.WebHost.UseUrls(Url(builder.Configuration));
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // Production's transport rules: the load comes from this machine by address, and no upload is scanned.
        ["AllowedHosts"] = "127.0.0.1;localhost",
        ["Bastion:Transport:AllowUnscannedUploads"] = "true",
    });
    TimedPasswordHasher.Decorate(builder.Services);
});

if (command == "seed-equipment")
{
    await EquipmentSeeder.SeedAsync(app.Services, app.Configuration.GetValue("Bench:Equipment", 100_000),
        app.Configuration.GetValue("Bench:Owners", 200), CancellationToken.None);

    // What the server's hourly statistics run would have done by the time such a table is searched in earnest.
    await app.Services.GetRequiredService<Bastion.Storage.SqliteMaintenance>().OptimizeAsync();
    return;
}

if (command == "prune-equipment")
{
    await EquipmentSeeder.PruneAsync(app.Services, app.Configuration["Bench:KeepDepartment"] ?? EquipmentSeeder.Department(0), CancellationToken.None);
    await app.Services.GetRequiredService<Bastion.Storage.SqliteMaintenance>().OptimizeAsync();
    return;
}

// Answers every caller alike, so that a run with a session cookie and one without differ only in authentication.
app.MapGet("/bench/whoami", () => TypedResults.Text("""{"ok":true}""", "application/json")).AllowAnonymous();
// The same answer for signed-in callers only (session or bearer token), like the JwtBearer peer's /bench/whoami.
app.MapGet("/bench/whoami-authorized", () => TypedResults.Text("""{"ok":true}""", "application/json"))
    .RequireAuthorization(BastionAuthentication.Policy);
// CPU time spent hashing so far, to split a login run's CPU time into the hash and everything else.
app.MapGet("/bench/hash-cpu", (TimedPasswordHasher hasher) => hasher.Report()).AllowAnonymous();

await app.StartAsync();
await BenchUsers.SeedAsync(app.Services, app.Configuration.GetValue("Bench:Users", 128),
    app.Configuration["Bench:Password"] ?? BenchUsers.DefaultPassword);
Console.WriteLine($"READY {Url(app.Configuration)}");
await app.WaitForShutdownAsync();

static string Url(IConfiguration configuration) => $"http://127.0.0.1:{configuration.GetValue("Bench:Port", 5091)}";
