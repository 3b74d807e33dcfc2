export interface Topic {
  key: string;
  resource: string;
  event: string;
  isPattern: boolean;
  name: string;
  payloadName: string;
}
export declare function collectTopics(spec: unknown): Topic[];
export declare function renderTopics(topics: Topic[], options?: { header?: string }): string;
export declare function renderEvents(
  topics: Topic[],
  options?: { header?: string; typesModule?: string; eventModule?: string },
): string;
