// The OpenAPI 3.0 document of this service, derived at startup from the loaded protos:
// a POST path per PlannerService method, a schema per message and enum it reaches (names
// as in the JSON mapping, proto comments as descriptions), and the card, health and error
// schemas this service adds.
import protobuf from 'protobufjs';

import {CARD_SCHEMAS} from './card.js';
import {enumPrefix, jsonName} from './json.js';
import {isServed} from './protos.js';

const INTEGER_SCHEMAS = {
  int32: {type: 'integer', format: 'int32'},
  sint32: {type: 'integer', format: 'int32'},
  sfixed32: {type: 'integer', format: 'int32'},
  uint32: {type: 'integer', minimum: 0, maximum: 4294967295},
  fixed32: {type: 'integer', minimum: 0, maximum: 4294967295},
};
const LONG_FORMATS = {
  int64: 'int64', sint64: 'int64', sfixed64: 'int64', uint64: 'uint64', fixed64: 'uint64',
};

const ERROR_SCHEMA = {
  type: 'object',
  description: 'Every error: `code` is a google.rpc.Code name; `fieldViolations` name the ' +
    'fields of bad input by their proto path (`portfolio.partners[3].volatility`).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'httpStatus', 'message'],
      properties: {
        code: {type: 'string', example: 'INVALID_ARGUMENT'},
        httpStatus: {type: 'integer', example: 400},
        message: {type: 'string', description: 'At most about 1 KB.'},
        fieldViolations: {
          type: 'array',
          description: 'At most 20.',
          items: {
            type: 'object',
            properties: {field: {type: 'string'}, description: {type: 'string'}},
          },
        },
        violationsTotal: {
          type: 'integer',
          description: 'All the violations found, when more than fieldViolations lists.',
        },
      },
    },
  },
};

const STATUS_SCHEMA = {
  type: 'object',
  properties: {status: {type: 'string', example: 'SERVING'}},
};

function schemaName(reflected) {
  return reflected.fullName.replace(/^\./, '');
}

function ref(name) {
  return {$ref: `#/components/schemas/${name}`};
}

function firstSentence(text) {
  const match = /^.*?[.:](\s|$)/s.exec(text);
  return (match ? match[0] : text).replace(/\s+/g, ' ').trim();
}

function described(schema, comment) {
  if (!comment) return schema;
  // OpenAPI 3.0 ignores a $ref's siblings: a description needs allOf.
  return schema.$ref ? {allOf: [schema], description: comment} : {...schema, description: comment};
}

// Adds the schemas of `type` and of every message and enum it reaches to `schemas`.
class SchemaBuilder {
  constructor(schemas) {
    this.schemas = schemas;
  }

  reference(reflected) {
    const name = schemaName(reflected);
    if (!this.schemas[name]) {
      this.schemas[name] = {};  // claimed first: messages may refer to each other
      this.schemas[name] = reflected instanceof protobuf.Enum ?
        this.enumSchema(reflected) : this.messageSchema(reflected);
    }
    return ref(name);
  }

  enumSchema(enumType) {
    const names = Object.keys(enumType.values);
    const lines = names.map((name) => {
      const comment = enumType.comments[name]?.replace(/\s+/g, ' ');
      return `- ${name}${comment ? `: ${comment}` : ''}`;
    });
    const prefix = enumPrefix(enumType);
    const example = names.find((name) => enumType.values[name] !== 0 && name.startsWith(prefix));
    const aliases = example ? 'Requests may also give a value without its prefix, in any ' +
      `case (\`${example.slice(prefix.length).toLowerCase()}\` for \`${example}\`), or its ` +
      'number.' : '';
    return {
      type: 'string',
      enum: names,
      description: [enumType.comment, lines.join('\n'), aliases].filter(Boolean).join('\n\n'),
    };
  }

  messageSchema(type) {
    const properties = {};
    for (const field of type.fieldsArray) properties[jsonName(field)] = this.fieldSchema(field);
    const oneofs = type.oneofsArray.filter((oneof) => oneof.fieldsArray.length > 1).map((oneof) =>
      `At most one of ${oneof.fieldsArray.map(jsonName).join(', ')} (oneof ${oneof.name}).`);
    const description = [type.comment, ...oneofs].filter(Boolean).join('\n\n');
    return {type: 'object', ...(description ? {description} : {}), properties};
  }

  fieldSchema(field) {
    const single = this.singleSchema(field);
    let schema = single;
    if (field.map) schema = {type: 'object', additionalProperties: single};
    else if (field.repeated) schema = {type: 'array', items: single};
    const optional = field.options?.proto3_optional ? 'Optional: unset differs from 0.' : '';
    const notes = [field.comment, optional].filter(Boolean).join(' ');
    return described(schema, notes);
  }

  singleSchema(field) {
    const resolved = field.resolvedType;
    if (resolved) return this.reference(resolved);
    if (INTEGER_SCHEMAS[field.type]) return {...INTEGER_SCHEMAS[field.type]};
    if (LONG_FORMATS[field.type]) {
      return {type: 'string', format: LONG_FORMATS[field.type], pattern: '^-?[0-9]+$'};
    }
    switch (field.type) {
      case 'double':
      case 'float':
        return {type: 'number', format: field.type};
      case 'bool':
        return {type: 'boolean'};
      case 'bytes':
        return {type: 'string', format: 'byte'};
      default:
        return {type: 'string'};
    }
  }
}

const ERROR_RESPONSE = {
  description: 'An error (see Error)',
  content: {'application/json': {schema: ref('Error')}},
};

function methodOperation(method, builder) {
  const response = builder.reference(method.responseType);
  const ok = method.responseStream ? {
    description: `Server-sent events: each \`data:\` is one ${schemaName(method.responseType)} ` +
      'in JSON; then `event: end` (data `{}`), or `event: error` with an Error. An error before ' +
      'the first event is an ordinary JSON error response instead.',
    content: {'text/event-stream': {schema: response}},
  } : {description: 'OK', content: {'application/json': {schema: response}}};
  return {
    post: {
      operationId: method.name,
      tags: ['PlannerService'],
      summary: firstSentence(method.comment),
      description: method.comment,
      requestBody: {
        required: true,
        content: {'application/json': {schema: builder.reference(method.requestType)}},
      },
      responses: {200: ok, default: ERROR_RESPONSE},
    },
  };
}

// `api`: protos.js's loadApi(); `httpTokenRequired`: whether requests need
// ATTAIN_HTTP_TOKEN.
export function buildOpenApi({api, httpTokenRequired, version}) {
  const schemas = {Error: ERROR_SCHEMA, Status: STATUS_SCHEMA, ...CARD_SCHEMAS};
  const builder = new SchemaBuilder(schemas);
  const probe = (operationId, summary, description, statusCode) => ({
    get: {
      operationId,
      tags: ['Health'],
      summary,
      description,
      security: [],
      responses: {
        200: {description: 'OK', content: {'application/json': {schema: ref('Status')}}},
        ...(statusCode ? {[statusCode]: ERROR_RESPONSE} : {}),
      },
    },
  });
  const paths = {
    '/v1/card': {
      post: {
        operationId: 'card',
        tags: ['Card'],
        summary: 'The card of an account owner\'s portfolio.',
        description: 'Simulate, RecommendTiers (at most 3 changes) and CoachPlan of the ' +
          'current plan, run at once under one deadline on one seed.',
        requestBody: {
          required: true,
          content: {'application/json': {schema: {oneOf: [ref('CardRequest'),
            builder.reference(api.root.lookupType('attain.v1.Portfolio'))]}}},
        },
        responses: {
          200: {description: 'OK', content: {'application/json': {schema: ref('Card')}}},
          default: ERROR_RESPONSE,
        },
      },
    },
    '/healthz': probe('healthz', 'This process is alive.', 'Liveness: never calls attaind.'),
    '/readyz': probe('readyz', 'attaind is ready.',
        'Readiness: attaind\'s health service says `readiness` is SERVING; 503 otherwise.', 503),
  };
  for (const method of api.methods.filter(isServed)) {
    paths[`/v1/${method.name}`] = methodOperation(method, builder);
  }
  const document = {
    openapi: '3.0.3',
    info: {
      title: 'Attain CRM gateway',
      version,
      description: 'JSON over HTTP for attain.v1.PlannerService (the protobuf JSON mapping), ' +
        'and the portfolio card for CRM sidebars. Generated from the protos this service ' +
        'loaded.',
    },
    paths,
    components: {schemas},
  };
  if (httpTokenRequired) {
    document.components.securitySchemes = {bearer: {type: 'http', scheme: 'bearer'}};
    document.security = [{bearer: []}];
  }
  return document;
}
