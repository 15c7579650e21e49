using Bastion.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>The storage directory defaults to <c>{DataDirectory}/uploads</c>, next to the other files Bastion keeps.</summary>
internal sealed class UploadOptionsDefaults(IOptions<BastionOptions> bastion) : IPostConfigureOptions<UploadOptions>
{
    public void PostConfigure(string? name, UploadOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.StorageDirectory))
        {
            options.StorageDirectory = Path.Combine(bastion.Value.DataDirectory, "uploads");
        }
    }
}
