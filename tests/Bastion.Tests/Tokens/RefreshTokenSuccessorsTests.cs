using System.Buffers.Text;
using System.Security.Cryptography;
using Bastion.Hosting;
using Bastion.Tokens;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Tokens;

public sealed class RefreshTokenSuccessorsTests
{
    private static RefreshTokenSuccessors Under(byte[] masterKey) => new(new MasterKey(
        Options.Create(new SecretsOptions { MasterKey = Convert.ToBase64String(masterKey) }),
        Options.Create(new BastionOptions()),
        new HostingEnvironment { EnvironmentName = Environments.Production }));

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Successor_OfTheSameToken_IsTheSameEveryTime_SoARetryGetsWhatTheLostAnswerHeld()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var token = NewToken();

        Assert.Equal(Under(key).Of(token), Under(key).Of(token));
    }

    [Fact]
    public void Successor_IsA256BitBase64UrlToken_UnlikeItsPredecessor()
    {
        var token = NewToken();

        var successor = Under(RandomNumberGenerator.GetBytes(32)).Of(token);

        Assert.Equal(43, successor.Length);
        Assert.True(Base64Url.IsValid(successor));
        Assert.NotEqual(token, successor);
    }

    [Fact]
    public void Successor_UnderAnotherMasterKey_IsUnrelated_SoNobodyWithoutTheKeyCanComputeIt()
    {
        var token = NewToken();

        Assert.NotEqual(Under(RandomNumberGenerator.GetBytes(32)).Of(token), Under(RandomNumberGenerator.GetBytes(32)).Of(token));
    }

    [Fact]
    public void Successors_OfDifferentTokens_Differ()
    {
        var successors = Under(RandomNumberGenerator.GetBytes(32));

        Assert.NotEqual(successors.Of(NewToken()), successors.Of(NewToken()));
    }
}
