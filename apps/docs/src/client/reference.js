// Mounts Scalar's API reference on the local bundle. Everything stays on this site: no default fonts, no
// telemetry, no AI agent or MCP features, no proxy. Under `pnpm start`, config.js names the local mock, which
// becomes the try-it server.
(() => {
  var runtime = window.WOOAPI_DOCS || {};
  // A page may name another document (the legacy API's reference sets { url: 'openapi.json', ownServers: true }).
  var page = window.WOOAPI_REFERENCE_PAGE || {};
  var slug = (text) =>
    String(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  var config = {
    url: page.url || '../openapi.json',
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
    hideClientButton: false,
    documentDownloadType: 'json',
    defaultOpenAllTags: false,
    // Stable anchors: #tag/<tag>/<operationId>, #webhook/<topic>; the guides link to them.
    generateTagSlug: (tag) => slug(tag.name),
    generateOperationSlug: (op) => op.operationId || op.method + op.path,
    generateWebhookSlug: (webhook) => webhook.name,
    customCss:
      '.scalar-app { --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; --scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }',
  };
  if (runtime.mockApiUrl && !page.ownServers) {
    config.servers = [{ url: runtime.mockApiUrl, description: 'Local mock (Prism, started by pnpm start)' }];
    // Prism checks that credentials are present, not that they are real: any key works on the mock.
    config.authentication = {
      preferredSecurityScheme: 'basicAuth',
      securitySchemes: { basicAuth: { username: 'ck_mock', password: 'cs_mock' } },
    };
  }
  window.WOOAPI_REFERENCE = Scalar.createApiReference('#app', config);
})();
