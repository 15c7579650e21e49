using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Bastion.Access;
using Bastion.Server.Domain;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.LoadHost;

// A seeded System.Random on purpose: every run must hold the same data, and nothing secret comes from it.
#pragma warning disable SCS0005

/// <summary>
/// The data of the search benchmark, written straight into the database of a load host that has started once (so
/// the schema and the bench accounts exist): <c>rows</c> equipment records owned by the first <c>owners</c> bench
/// accounts, whose departments are <c>dept-00</c> … <c>dept-19</c> by account number modulo 20. Records go
/// through the application's own <c>EquipmentService.New</c>, so serial number, cost and notes are encrypted and
/// the serial's blind index computed exactly as the API does it; they are then back-dated one minute apart, the
/// oldest first. Owners and record kinds are drawn from a fixed seed, so every run holds the same data.
/// </summary>
internal static class EquipmentSeeder
{
    public const int Departments = 20;
    private const int BatchSize = 2_000;

    /// <summary>About one record in 20 is a laptop: a search for it fills a page after ~400 rows.</summary>
    public const string CommonWord = "laptop";

    /// <summary>One record in 5,000 is an oscilloscope: a search for it reads every row the caller may see.</summary>
    public const string RareWord = "oscilloscope";

    private static readonly string[] Kinds =
    [
        "Laptop", "Monitor", "Printer", "Router", "Switch", "Scanner", "Projector", "Phone", "Tablet", "Server",
        "Camera", "Keyboard", "Headset", "Dock", "Firewall", "Storage array", "Access point", "Whiteboard", "Plotter", "Microscope",
    ];

    private static readonly string[] Vendors = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne"];

    public static string Department(int account) => $"dept-{account % Departments:00}";

    public static string Serial(int row) => $"SN-{row:D7}";

    /// <summary>Seeds the data and prints one line "SEEDED rows=… seconds=… serial=…" (a serial of <c>dept-00</c>).</summary>
    public static async Task SeedAsync(IServiceProvider services, int rows, int owners, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var subjects = await AssignDepartmentsAsync(services, owners, cancellationToken);

        // EquipmentService is internal to the server; its New is the one place that encrypts a record.
        var serviceType = typeof(DomainDbContext).Assembly.GetType("Bastion.Server.Domain.EquipmentService", throwOnError: true)!;
        var create = serviceType.GetMethod("New", [typeof(AccessSubject), typeof(EquipmentRequest)])
            ?? throw new MissingMethodException(serviceType.FullName, "New");
        var random = new Random(20261125);
        var oldest = DateTimeOffset.UtcNow.AddMinutes(-rows);
        string? departmentSerial = null;
        for (var first = 0; first < rows; first += BatchSize)
        {
            await using var scope = services.CreateAsyncScope();
            var equipment = scope.ServiceProvider.GetRequiredService(serviceType);
            var db = scope.ServiceProvider.GetRequiredService<DomainDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var row = first; row < Math.Min(first + BatchSize, rows); row++)
            {
                var owner = subjects[random.Next(subjects.Count)];
                var record = (Equipment)create.Invoke(equipment, [owner, Request(row, random)])!;
                record.CreatedAt = record.UpdatedAt = oldest.AddMinutes(row);
                departmentSerial ??= owner.Department == Department(0) ? Serial(row) : null;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await AnalyzeAsync(services, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SEEDED rows={rows} owners={subjects.Count} seconds={clock.Elapsed.TotalSeconds:F1} serial={departmentSerial}"));
    }

    /// <summary>
    /// Deletes every record outside <paramref name="department"/>, so that a caller limited to it sees the same rows
    /// as before in a table that holds nothing else. Prints "PRUNED rows=…".
    /// </summary>
    public static async Task PruneAsync(IServiceProvider services, string department, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DomainDbContext>();
            var deleted = await db.Equipment.Where(e => e.Department == null || e.Department != department).ExecuteDeleteAsync(cancellationToken);
            Console.WriteLine($"PRUNED rows={deleted} kept={await db.Equipment.CountAsync(cancellationToken)}");
        }

        await AnalyzeAsync(services, cancellationToken);
    }

    private static async Task<List<AccessSubject>> AssignDepartmentsAsync(IServiceProvider services, int owners, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        var subjects = new List<AccessSubject>(owners);
        for (var department = 0; department < Departments; department++)
        {
            var members = Enumerable.Range(0, owners).Where(i => i % Departments == department).Select(BenchUsers.Email).ToList();
            var name = Department(department);
            await db.Users.Where(u => members.Contains(u.NormalizedEmail)).ExecuteUpdateAsync(s => s.SetProperty(u => u.Department, name), cancellationToken);
        }

        var emails = Enumerable.Range(0, owners).Select(BenchUsers.Email).ToList();
        var users = await db.Users.AsNoTracking().Where(u => emails.Contains(u.NormalizedEmail))
            .Select(u => new { u.Id, u.NormalizedEmail, u.Department }).ToListAsync(cancellationToken);
        // In account order, so that the same seed gives every record the same owner in every run.
        subjects.AddRange(users.OrderBy(u => emails.IndexOf(u.NormalizedEmail))
            .Select(u => new AccessSubject(u.Id, u.Department, true, [Roles.Default], 0, [])));
        return subjects.Count == owners
            ? subjects
            : throw new InvalidOperationException($"Expected {owners} bench accounts, found {subjects.Count}: start the load host with --Bench:Users={owners} first.");
    }

    private static EquipmentRequest Request(int row, Random random)
    {
        var vendor = Vendors[random.Next(Vendors.Length)];
        var kind = row % 5_000 == 4_999 ? "Oscilloscope" : Kinds[random.Next(Kinds.Length)];
        return new EquipmentRequest(
            Name: $"{kind} {vendor} {row}",
            SerialNumber: Serial(row),
            Cost: 100m + row % 5_000 + 0.99m,
            Description: $"{vendor} model {row % 97}, room {row % 500}",
            Notes: $"Bought with order {row / 1_000}.");
    }

    // Planner statistics, as a production database keeps them (PostgreSQL's autovacuum would otherwise gather
    // them at some moment during the measurements). SQLite is left as Bastion runs it: without ANALYZE.
    private static async Task AnalyzeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DomainDbContext>();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE equipment", cancellationToken);
        }
    }
}
