import type { PoolModel } from '../routing/index.js';

/**
 * The pool's models in each protocol's list shape. Creation times are unknown for pooled models:
 * OpenAI gets 0 and Anthropic the epoch, both valid values of their fields.
 */

/** OpenAI `GET /v1/models`: `{object: "list", data: [{id, object: "model", created, owned_by}]}`. */
export function openAIModelList(models: readonly PoolModel[]): Record<string, unknown> {
  return {
    object: 'list',
    data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.ownedBy })),
  };
}

/** Anthropic `GET /v1/models`: one page holding every model, with its first and last id. */
export function anthropicModelList(models: readonly PoolModel[]): Record<string, unknown> {
  return {
    data: models.map((model) => ({
      type: 'model',
      id: model.id,
      display_name: model.id,
      created_at: '1970-01-01T00:00:00Z',
    })),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models[models.length - 1]?.id ?? null,
  };
}

/** Gemini `GET /v1beta/models`: `{models: [{name: "models/<id>", displayName, supportedGenerationMethods}]}`. */
export function geminiModelList(models: readonly PoolModel[]): Record<string, unknown> {
  return {
    models: models.map((model) => ({
      name: `models/${model.id}`,
      displayName: model.id,
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    })),
  };
}
