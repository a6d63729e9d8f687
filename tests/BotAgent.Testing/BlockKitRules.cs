using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>
/// The Block Kit rules Slack enforces on a message (it answers <c>invalid_blocks</c>, <c>msg_too_long</c>
/// or <c>msg_blocks_too_long</c> otherwise), for the block types BotAgent uses. Slack publishes no JSON
/// schema for Block Kit; these are the documented limits (docs.slack.dev/reference/block-kit) plus the
/// undocumented cumulative text limit reported in bolt-js #2509.
/// </summary>
public static class BlockKitRules
{
    public const int MaxBlocks = 50;
    public const int MaxMessageText = 40_000;

    /// <summary>Slack's maintainers: about 12,000 text characters for all blocks together (bolt-js #2509).</summary>
    public const int MaxBlocksText = 12_000;

    /// <summary>Each error starts with the error name Slack would answer with.</summary>
    public static IReadOnlyList<string> Validate(JsonObject message)
    {
        var errors = new List<string>();
        var text = Str(message["text"]);
        if (string.IsNullOrWhiteSpace(text))
            errors.Add("invalid_arguments: the fallback text is missing (notifications and screen readers use it)");
        else if (text.Length > MaxMessageText)
            errors.Add($"msg_too_long: text has {text.Length} characters");

        if (message["blocks"] is null)
            return errors;
        if (message["blocks"] is not JsonArray blocks)
        {
            errors.Add("invalid_blocks: blocks is not an array");
            return errors;
        }
        if (blocks.Count > MaxBlocks)
            errors.Add($"invalid_blocks: {blocks.Count} blocks, more than {MaxBlocks}");
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
            Block(blocks[i] as JsonObject, $"blocks[{i}]", blockIds, errors);
        var total = TextLength(blocks);
        if (total > MaxBlocksText)
            errors.Add($"msg_blocks_too_long: the blocks hold {total} characters of text");
        return errors;
    }

    public static void AssertValid(JsonObject message)
    {
        var errors = Validate(message);
        if (errors.Count > 0)
            throw new InvalidOperationException("The message breaks Slack's Block Kit rules:\n" + string.Join("\n", errors.Take(20)));
    }

    /// <summary>Characters of text in every text object, as Slack counts them towards its cumulative limit.</summary>
    public static int TextLength(JsonNode? node) => node switch
    {
        JsonObject obj when Str(obj["type"]) is "plain_text" or "mrkdwn" => Str(obj["text"])?.Length ?? 0,
        JsonObject obj => obj.Sum(p => TextLength(p.Value)),
        JsonArray array => array.Sum(TextLength),
        _ => 0,
    };

    private static void Block(JsonObject? block, string at, HashSet<string> blockIds, List<string> errors)
    {
        if (block is null)
        {
            errors.Add($"invalid_blocks: {at} is not an object");
            return;
        }
        if (Str(block["block_id"]) is { } blockId && (blockId.Length > 255 || !blockIds.Add(blockId)))
            errors.Add($"invalid_blocks: {at}.block_id is longer than 255 characters or not unique");
        switch (Str(block["type"]))
        {
            case "header":
                TextObject(block["text"], $"{at}.text", 150, errors, plainOnly: true);
                break;
            case "section":
                if (block["text"] is null && block["fields"] is null)
                    errors.Add($"invalid_blocks: {at} has neither text nor fields");
                if (block["text"] is not null)
                    TextObject(block["text"], $"{at}.text", 3000, errors);
                if (block["fields"] is JsonArray fields)
                {
                    if (fields.Count is 0 or > 10)
                        errors.Add($"invalid_blocks: {at}.fields has {fields.Count} items (1-10)");
                    for (var i = 0; i < fields.Count; i++)
                        TextObject(fields[i], $"{at}.fields[{i}]", 2000, errors);
                }
                if (block["accessory"] is JsonObject accessory)
                    Element(accessory, $"{at}.accessory", errors);
                break;
            case "context":
                if (block["elements"] is not JsonArray { Count: > 0 and <= 10 } elements)
                {
                    errors.Add($"invalid_blocks: {at}.elements must hold 1-10 elements");
                    break;
                }
                for (var i = 0; i < elements.Count; i++)
                    TextObject(elements[i], $"{at}.elements[{i}]", 3000, errors);
                break;
            case "actions":
                if (block["elements"] is not JsonArray { Count: > 0 and <= 25 } buttons)
                {
                    errors.Add($"invalid_blocks: {at}.elements must hold 1-25 elements");
                    break;
                }
                var actionIds = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < buttons.Count; i++)
                {
                    Element(buttons[i] as JsonObject, $"{at}.elements[{i}]", errors);
                    if (Str(buttons[i]?["action_id"]) is { } actionId && !actionIds.Add(actionId))
                        errors.Add($"invalid_blocks: {at} repeats action_id '{actionId}'");
                }
                if (buttons.Count(b => Str(b?["style"]) == "primary") > 1)
                    errors.Add($"invalid_blocks: {at} has more than one primary button");
                break;
            case "divider":
                break;
            default:
                errors.Add($"invalid_blocks: {at} has an unknown type '{Str(block["type"])}'");
                break;
        }
    }

    private static void Element(JsonObject? element, string at, List<string> errors)
    {
        if (element is null || Str(element["type"]) != "button")
        {
            errors.Add($"invalid_blocks: {at} is not a button");
            return;
        }
        TextObject(element["text"], $"{at}.text", 75, errors, plainOnly: true);
        if (Str(element["action_id"]) is { Length: > 255 })
            errors.Add($"invalid_blocks: {at}.action_id is longer than 255 characters");
        if (Str(element["value"]) is { Length: > 2000 } value)
            errors.Add($"invalid_blocks: {at}.value has {value.Length} characters (2000 at most)");
        if (Str(element["url"]) is { Length: > 3000 })
            errors.Add($"invalid_blocks: {at}.url is longer than 3000 characters");
        if (element["style"] is not null && Str(element["style"]) is not ("primary" or "danger"))
            errors.Add($"invalid_blocks: {at}.style must be primary or danger");
        if (element["confirm"] is JsonObject confirm)
        {
            TextObject(confirm["title"], $"{at}.confirm.title", 100, errors, plainOnly: true);
            TextObject(confirm["text"], $"{at}.confirm.text", 300, errors);
            TextObject(confirm["confirm"], $"{at}.confirm.confirm", 30, errors, plainOnly: true);
            TextObject(confirm["deny"], $"{at}.confirm.deny", 30, errors, plainOnly: true);
            if (confirm["style"] is not null && Str(confirm["style"]) is not ("primary" or "danger"))
                errors.Add($"invalid_blocks: {at}.confirm.style must be primary or danger");
        }
    }

    private static void TextObject(JsonNode? node, string at, int max, List<string> errors, bool plainOnly = false)
    {
        var type = Str(node?["type"]);
        if (type is not ("plain_text" or "mrkdwn") || (plainOnly && type != "plain_text"))
        {
            errors.Add($"invalid_blocks: {at} must be a {(plainOnly ? "plain_text" : "text")} object");
            return;
        }
        var text = Str(node!["text"]);
        if (string.IsNullOrEmpty(text))
            errors.Add($"invalid_blocks: {at}.text is empty");
        else if (text.Length > max)
            errors.Add($"invalid_blocks: {at}.text has {text.Length} characters ({max} at most)");
        if (type == "mrkdwn" && node["emoji"] is not null)
            errors.Add($"invalid_blocks: {at}: emoji is only for plain_text");
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
