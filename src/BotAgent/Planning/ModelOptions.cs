namespace BotAgent.Planning;

/// <summary>Configuration section <c>AzureOpenAI</c>.</summary>
public sealed class AzureOpenAIOptions
{
    public const string Section = "AzureOpenAI";

    /// <summary>The resource endpoint, e.g. <c>https://my-resource.openai.azure.com/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The deployment name of the chat model.</summary>
    public string? Deployment { get; set; }

    /// <summary>A key of the resource. Empty: Entra ID through DefaultAzureCredential. A secret.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>Configuration section <c>OpenAI</c>: OpenAI itself or any compatible server (Ollama, vLLM, LM Studio, LiteLLM).</summary>
public sealed class OpenAIOptions
{
    public const string Section = "OpenAI";

    /// <summary>Base URL of the API, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c> (Ollama).</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>The API key (servers that need none accept any value). A secret.</summary>
    public string? ApiKey { get; set; }
}
