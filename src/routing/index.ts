export { type ModelResolution, ModelRouter, resolveModel } from './model-router.js';
