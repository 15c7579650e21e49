using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Bastion.Tests.Mfa;

internal sealed class MfaHostEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Production;

    public string ApplicationName { get; set; } = "Bastion.Tests";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
