using Bastion.Hosting;
using Bastion.State;
using Bastion.Storage;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>
/// The storage directory defaults to <c>{DataDirectory}/uploads</c>, next to the other files Bastion keeps. The store
/// defaults to the database in shared mode — a PostgreSQL database or Redis state, the settings that make several
/// nodes possible — so that an attachment uploaded through one node can be downloaded through every other.
/// </summary>
internal sealed class UploadOptionsDefaults(IOptions<BastionOptions> bastion, IOptions<DatabaseOptions> database, IOptions<StateOptions> state)
    : IPostConfigureOptions<UploadOptions>
{
    public void PostConfigure(string? name, UploadOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.StorageDirectory))
        {
            options.StorageDirectory = Path.Combine(bastion.Value.DataDirectory, "uploads");
        }

        options.Store ??= IsSharedMode(database.Value, state.Value) ? UploadStoreKind.Database : UploadStoreKind.Directory;
    }

    internal static bool IsSharedMode(DatabaseOptions database, StateOptions state)
        => database.Provider == DatabaseProvider.Postgres || state.Provider == StateProvider.Redis;
}
