using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;

namespace Bastion.Tests.Uploads;

internal sealed class TestWebHostEnvironment(string webRootPath) : IWebHostEnvironment
{
    public string WebRootPath { get; set; } = webRootPath;

    public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();

    public string EnvironmentName { get; set; } = "Production";

    public string ApplicationName { get; set; } = "Bastion.Tests";

    public string ContentRootPath { get; set; } = Path.GetTempPath();

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
