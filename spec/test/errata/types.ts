export type Erratum = {
  /** `index` of the example in examples.json, plus what it must still be (guards against a changed reference file). */
  index: number;
  method: string;
  route: string;
  kind: 'request' | 'response';
  /** Why the docs are wrong: what WooCommerce 11 really sends or accepts. */
  reason: string;
  /** The validation error the erratum must still produce (matched against Ajv's messages). */
  failsWith: RegExp;
};
