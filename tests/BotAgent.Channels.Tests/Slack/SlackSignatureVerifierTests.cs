using System.Text;
using BotAgent.Channels.Slack;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.Slack;

public sealed class SlackSignatureVerifierTests
{
    // Slack's worked example (docs.slack.dev/authentication/verifying-requests-from-slack).
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] DocBody = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset DocTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_published_example_verifies()
    {
        Assert.Null(SlackSignatureVerifier.Problem(DocTimestamp, DocSignature, DocBody, DocSecret, DocTime.AddSeconds(30)));
        Assert.Equal(DocSignature, "v0=" + Convert.ToHexStringLower(SlackSignatureVerifier.Compute(DocSecret, DocTimestamp, DocBody)));
        Assert.Equal(DocSignature, SlackRequests.Sign(DocSecret, DocTimestamp, DocBody));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-86_400, false)]
    public void Timestamps_more_than_five_minutes_from_now_either_way_are_refused(int offsetSeconds, bool accepted)
    {
        var problem = SlackSignatureVerifier.Problem(DocTimestamp, DocSignature, DocBody, DocSecret, DocTime.AddSeconds(-offsetSeconds));

        Assert.Equal(accepted, problem is null);
        if (!accepted)
            Assert.Contains("5 minutes", problem);
    }

    [Fact]
    public void A_changed_body_or_another_secret_does_not_verify()
    {
        var changed = DocBody.ToArray();
        changed[^1] ^= 1;

        Assert.Equal("signature mismatch", SlackSignatureVerifier.Problem(DocTimestamp, DocSignature, changed, DocSecret, DocTime));
        Assert.Equal("signature mismatch", SlackSignatureVerifier.Problem(DocTimestamp, DocSignature, DocBody, DocSecret + "x", DocTime));
        Assert.Equal("signature mismatch", SlackSignatureVerifier.Problem("1531420619", DocSignature, DocBody, DocSecret, DocTime));
    }

    [Theory]
    [InlineData(null, DocSignature, "no X-Slack-Request-Timestamp header")]
    [InlineData("", DocSignature, "no X-Slack-Request-Timestamp header")]
    [InlineData("15314206a8", DocSignature, "malformed X-Slack-Request-Timestamp header")]
    [InlineData("-1531420618", DocSignature, "malformed X-Slack-Request-Timestamp header")]
    [InlineData("99999999999999999999", DocSignature, "malformed X-Slack-Request-Timestamp header")]
    [InlineData("9223372036854775807", DocSignature, "the request timestamp is more than 5 minutes from now")]
    [InlineData(DocTimestamp, null, "no X-Slack-Signature header")]
    [InlineData(DocTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "unknown signature version")]
    [InlineData(DocTimestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "unknown signature version")]
    [InlineData(DocTimestamp, "v0=not-hex", "malformed signature")]
    [InlineData(DocTimestamp, "v0=a2114d57", "signature mismatch")]
    [InlineData(DocTimestamp, "v0=", "signature mismatch")]
    public void Missing_or_malformed_headers_are_refused_with_a_reason(string? timestamp, string? signature, string reason)
    {
        Assert.Equal(reason, SlackSignatureVerifier.Problem(timestamp, signature, DocBody, DocSecret, DocTime));
    }
}
