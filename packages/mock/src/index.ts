export { startMock, type MockOptions, type MockServer } from './mock.js';
export { prefer, type Preference } from './prefer.js';
export { API_PREFIX, bundledSpecPath, mountAtStoreRoot } from './spec.js';
