/**
 * Checks every answer of the management API against the OpenAPI document the server serves: the
 * document itself must be valid OpenAPI 3.1 (@seriousme/openapi-schema-validator), the operation
 * must exist, the status must be documented, the media type must be the documented one, and the
 * body must match the documented JSON Schema (Ajv, JSON Schema 2020-12, with formats).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ResponseValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: { template: string; pattern: RegExp }[];

  private constructor(private readonly doc: Doc) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc as object, 'openapi.json');
    this.templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`, 'i'),
    }));
  }

  /** Validates the document as OpenAPI 3.1 and prepares the response checks; throws when the document is invalid. */
  static async load(doc: unknown): Promise<ResponseValidator> {
    const validator = new Validator();
    const result = await validator.validate(doc as Parameters<Validator['validate']>[0]);
    if (!result.valid) throw new Error(`the served OpenAPI document is not valid OpenAPI 3.1: ${JSON.stringify(result.errors).slice(0, 2000)}`);
    if (validator.version !== '3.1') throw new Error(`the served document is OpenAPI ${validator.version}, not 3.1`);
    return new ResponseValidator(doc as Doc);
  }

  /** The operation a request path (below the API base) and method resolve to. */
  operation(method: string, path: string): { template: string; operationId: string } | undefined {
    const bare = path.split('?')[0]!;
    const matches = this.templates.filter((t) => t.pattern.test(bare) && this.doc.paths[t.template]![method.toLowerCase()]);
    // A fixed segment wins over a parameter (`/signing-keys/rotate` before `/{id}/…`).
    matches.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    const found = matches[0];
    return found ? { template: found.template, operationId: this.doc.paths[found.template]![method.toLowerCase()]!.operationId } : undefined;
  }

  /** Problems of one answer (empty: it matches the document). */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): string[] {
    const op = this.operation(method, path);
    if (!op) return []; // an undocumented path or method: answered as a 404/405 problem, checked by the caller
    const responses = this.doc.paths[op.template]![method.toLowerCase()]!.responses;
    const response = responses[String(status)];
    if (!response) return [`${op.operationId}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    if (!response.content) return body === undefined || body === '' ? [] : [`${op.operationId} ${status}: a body where none is documented`];
    const type = (contentType ?? '').split(';')[0]!.trim();
    const media = response.content[type];
    if (!media) return [`${op.operationId} ${status}: content type ${type} is not documented (${Object.keys(response.content).join(', ')})`];
    if (type === 'application/x-ndjson') return [];
    const ref = `openapi.json#/paths/${escape(op.template)}/${method.toLowerCase()}/responses/${status}/content/${escape(type)}/schema`;
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${op.operationId} ${status}: ${e.instancePath || '(body)'} ${e.message ?? ''}`);
  }
}
