/**
 * Upstream error bodies written as the providers send them (shapes taken from public bug reports
 * and API references; identifiers shortened). Shared by the ratelimit tests.
 */

export const codeAssistQuotaExhausted = {
  error: {
    code: 429,
    message: 'You have exhausted your capacity on this model. Your quota will reset after 161h39m41s.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'QUOTA_EXHAUSTED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: {
          uiMessage: 'true',
          model: 'claude-sonnet-4-5',
          quotaResetDelay: '161h39m41.300432511s',
          quotaResetTimeStamp: '2025-12-18T20:18:34Z',
        },
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '581981.300432511s' },
    ],
  },
};

export const codeAssistQuotaExhaustedWithoutRetryInfo = {
  error: {
    code: 429,
    message: 'Individual quota reached. Please upgrade your subscription to increase your limits.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'QUOTA_EXHAUSTED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: { uiMessage: 'true', model: 'gemini-3.5-flash', quotaResetDelay: '2h36m5.870204634s' },
      },
    ],
  },
};

export const codeAssistRateLimited = {
  error: {
    code: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: { model: 'gemini-3-pro-preview' },
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' },
    ],
  },
};

export const codeAssistCapacityExhausted = {
  error: {
    code: 429,
    message: 'No capacity available for model gemini-3-pro-preview on the server',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'MODEL_CAPACITY_EXHAUSTED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: { model: 'gemini-3-pro-preview' },
      },
    ],
  },
};

export const googleResourceExhausted = {
  error: {
    code: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
  },
};

/** Gemini API free tier, per-minute quota. */
export const geminiPerMinuteQuota = {
  error: {
    code: 429,
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. Please retry in 43.070918s.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
            quotaValue: '10',
          },
        ],
      },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [
          {
            description: 'Learn more about Gemini API quotas',
            url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
          },
        ],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
    ],
  },
};

/** Gemini API free tier, per-day quota. */
export const geminiPerDayQuota = {
  error: {
    code: 429,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model: 'gemini-2.5-pro' },
            quotaValue: '50',
          },
        ],
      },
      {
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: { seconds: '3600', nanos: 250_000_000 },
      },
    ],
  },
};

/** Vertex AI through a streaming endpoint: wrapped in an array, legacy `errors[]`. */
export const vertexStreamResourceExhausted = [
  {
    error: {
      code: 429,
      message:
        'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
      errors: [
        {
          message: 'Resource exhausted. Please try again later.',
          domain: 'global',
          reason: 'rateLimitExceeded',
        },
      ],
      status: 'RESOURCE_EXHAUSTED',
    },
  },
];

export const codeAssistValidationRequired = {
  error: {
    code: 403,
    message: 'Verify your account to continue.',
    status: 'PERMISSION_DENIED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'VALIDATION_REQUIRED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: {
          validation_error_message: 'Verify your account to continue.',
          validation_url_link_text: 'Verify your account',
          validation_url:
            'https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=https://developers.google.com/gemini-code-assist/auth/auth_success_gemini&plt=AKgnsbs&flowName=GlifWebSignIn&authuser',
          validation_learn_more_link_text: 'Learn more',
          validation_learn_more_url: 'https://support.google.com/accounts?p=al_alert',
        },
      },
    ],
  },
};

export const codeAssistValidationInMessage = {
  error: {
    code: 403,
    message:
      'To continue, verify your account at\n\nhttps://accounts.google.com/signin/continue?sarp=1&scc=1&plt=xxxxx&flowName=GlifWebSignIn&authuser\n\nLearn more\n\nhttps://support.google.com/accounts?p=al_alert\n',
    status: 'PERMISSION_DENIED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'VALIDATION_REQUIRED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: { validation_url_link_text: 'Verify your account' },
      },
    ],
  },
};

export const codeAssistApiDisabled = {
  error: {
    code: 403,
    message:
      'Cloud Code Private API has not been used in project 123 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudcode-pa.googleapis.com/overview?project=123 then retry.',
    status: 'PERMISSION_DENIED',
  },
};

export const geminiApiKeyInvalid = {
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
    ],
  },
};

export const geminiInvalidArgument = {
  error: {
    code: 400,
    message: '* GenerateContentRequest.contents: contents is not specified\n',
    status: 'INVALID_ARGUMENT',
  },
};

export const googleCapacityUnavailable = {
  error: {
    code: 503,
    message: 'No capacity available for model gemini-3-pro-preview on the server',
    status: 'UNAVAILABLE',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'MODEL_CAPACITY_EXHAUSTED',
        domain: 'cloudcode-pa.googleapis.com',
      },
    ],
  },
};

export const openaiTokensRateLimit = {
  error: {
    message:
      'Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29500, Requested 1500. Please try again in 1.2s. Visit https://platform.openai.com/account/rate-limits to learn more.',
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

export const openaiRateLimitWithoutHint = {
  error: {
    message: 'Rate limit reached for requests',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

export const openaiInsufficientQuota = {
  error: {
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  },
};

export const openaiInvalidKey = {
  error: {
    message:
      'Incorrect API key provided: sk-proj-AbCdEf1234567890. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};

export const openaiContextTooLong = {
  error: {
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  },
};

export const anthropicRateLimit = {
  type: 'error',
  error: {
    type: 'rate_limit_error',
    message:
      'This request would exceed the rate limit for your organization of 80,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
  },
  request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
};

export const anthropicOverloaded = {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
  request_id: 'req_011CSHoEeqs5C35K2UUqR7Fz',
};

export const anthropicApiError = {
  type: 'error',
  error: { type: 'api_error', message: 'Internal server error' },
};

export const anthropicCreditTooLow = {
  type: 'error',
  error: {
    type: 'invalid_request_error',
    message:
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  },
};

export const anthropicInvalidRequest = {
  type: 'error',
  error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
};

export const anthropicAuthentication = {
  type: 'error',
  error: { type: 'authentication_error', message: 'invalid x-api-key' },
};

export const cloudflareBadGateway =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
