using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Tools;

/// <summary>What <see cref="SecretSettings"/> decides is a secret in settings a review found it missed, and what it leaves alone.</summary>
public sealed class SecretSettingsRuleTests
{
    private static string[] Secrets(string key, string value) => [.. SecretSettings.ValuesOf([new(key, value)])];

    [Theory]
    [InlineData("Storage:Blob", "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net", "c2VjcmV0LWtleQ==")]
    [InlineData("Bus", "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc123def456", "abc123def456")]
    [InlineData("Alerts:Webhook", "https://hooks.example.com/notify?api_key=k-123456789", "k-123456789")]
    [InlineData("Reports:Container", "https://shop.blob.core.windows.net/reports?sv=2024-01-01&sig=AbC%2Bdef%3D", "AbC+def=")]
    [InlineData("Db:Password", "123456", "123456")] // digits under a name that can only mean a credential
    [InlineData("Signing:Secret", "/k3y+base64/like==", "/k3y+base64/like==")] // starts with "/" but is no path
    [InlineData("DEPLOY_PASSWORD", "PT30S", "PT30S")]
    public void A_credential_is_found_wherever_it_hides(string key, string value, string secret)
    {
        Assert.Contains(secret, Secrets(key, value));
    }

    [Theory]
    [InlineData("Tools:Sql:TokenLimit", "4096")]
    [InlineData("AUTH_ENABLED", "true")]
    [InlineData("SSH_AUTH_SOCK", "/tmp")]
    [InlineData("BotFramework:TokenEndpoint", "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token")]
    [InlineData("Planner:Timeout", "00:00:30")]
    [InlineData("Reports:Url", "https://example.com/report?page=2&sort=asc")]
    public void Plain_settings_stay_plain(string key, string value)
    {
        Assert.Empty(Secrets(key, value));
    }
}
