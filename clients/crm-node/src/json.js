// The protobuf JSON mapping between HTTP bodies and attain.v1 messages.
//
// In: field names in lowerCamelCase or as in the .proto; enum values by name (any case,
// with or without the type's prefix: "INVEST", "invest", "TIER_INVEST") or number;
// 64-bit integers as strings or numbers; NaN and infinities as "NaN", "Infinity",
// "-Infinity"; null for "unset". Anything else, an unknown field above all, is refused
// with a field violation naming the field by its proto path, as attaind names them
// ("portfolio.partners[3].volatility").
//
// Out: lowerCamelCase names; enums by their full name; 64-bit integers as strings; every
// scalar, list and map, defaults included; messages, oneof members and `optional` fields
// only when set.
import protobuf from 'protobufjs';

import {bound, invalidArgument} from './errors.js';

const QUOTE_CHARS = 64;

const INT32 = {min: -(2n ** 31n), max: 2n ** 31n - 1n, long: false};
const UINT32 = {min: 0n, max: 2n ** 32n - 1n, long: false};
const INT64 = {min: -(2n ** 63n), max: 2n ** 63n - 1n, long: true};
const UINT64 = {min: 0n, max: 2n ** 64n - 1n, long: true};
const INTEGER_RANGES = {
  int32: INT32, sint32: INT32, sfixed32: INT32,
  uint32: UINT32, fixed32: UINT32,
  int64: INT64, sint64: INT64, sfixed64: INT64,
  uint64: UINT64, fixed64: UINT64,
};

// protoc's json_name: "baseline_revenue" -> "baselineRevenue".
export function jsonName(field) {
  if (field.options?.json_name) return field.options.json_name;
  return field.name.replace(/_+(.)?/g, (_, next) => (next ?? '').toUpperCase());
}

const fieldIndexes = new WeakMap();

// A type's fields by JSON name and by proto name.
function fieldIndex(type) {
  let index = fieldIndexes.get(type);
  if (!index) {
    index = new Map();
    for (const field of type.fieldsArray) {
      index.set(field.name, field);
      index.set(jsonName(field), field);
    }
    fieldIndexes.set(type, index);
  }
  return index;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${bound(value, QUOTE_CHARS)}"`;
  if (typeof value === 'object') return 'an object';
  return bound(JSON.stringify(value), QUOTE_CHARS);
}

function typeName(type) {
  return type.fullName.replace(/^\./, '');
}

// The prefix of every value of `enumType` but its zero ("TIER_" for Tier), per buf's rule.
export function enumPrefix(enumType) {
  return `${enumType.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_`;
}

// "INVEST, MAINTAIN or OPPORTUNISTIC (any case, with or without TIER_)".
function enumChoices(enumType) {
  const prefix = enumPrefix(enumType);
  const names = Object.entries(enumType.values).filter(([, number]) => number !== 0)
      .map(([name]) => (name.startsWith(prefix) ? name.slice(prefix.length) : name));
  const list = names.length > 1 ?
    `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
  return `${list} (any case, with or without ${prefix})`;
}

// The number of the value `text` names; the zero value only by its full name, as the
// canonical mapping writes it.
function enumNumber(enumType, text) {
  if (Object.hasOwn(enumType.values, text)) return enumType.values[text];
  const upper = text.toUpperCase();
  for (const name of [upper, enumPrefix(enumType) + upper]) {
    const number = enumType.values[name];
    if (Object.hasOwn(enumType.values, name) && number !== 0) return number;
  }
  return undefined;
}

// Edit distance, for "did you mean": small strings only.
function distance(a, b) {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1,
          previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function unknownField(type, key) {
  const normal = (name) => name.toLowerCase().replaceAll('_', '');
  const wanted = normal(key);
  const near = key.length <= 64 ? type.fieldsArray.find((field) =>
    distance(normal(field.name), wanted) <= Math.min(2, Math.floor(wanted.length / 4))) : null;
  return `unknown field of ${typeName(type)}${near ? `; did you mean ${jsonName(near)}?` : ''}`;
}

class Reader {
  constructor() {
    this.violations = [];
  }

  fail(path, description) {
    this.violations.push({field: path, description});
    return undefined;
  }

  // A plain object for protobufjs's fromObject: proto field names, enums as numbers,
  // 64-bit integers as strings.
  message(type, value, path) {
    if (!isObject(value)) {
      return this.fail(path || '(body)',
          `must be a JSON object (${typeName(type)}), not ${describe(value)}`);
    }
    const index = fieldIndex(type);
    const object = {};
    const oneofs = new Map();
    for (const [key, item] of Object.entries(value)) {
      const field = index.get(key);
      if (!field) {
        this.fail(path ? `${path}.${bound(key, QUOTE_CHARS)}` : bound(key, QUOTE_CHARS),
            unknownField(type, key));
        continue;
      }
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      if (Object.hasOwn(object, field.name)) {
        this.fail(fieldPath, `given twice (as ${field.name} and ${jsonName(field)})`);
        continue;
      }
      if (item === null) continue;
      const oneof = field.partOf;
      if (oneof && oneof.fieldsArray.length > 1) {
        const other = oneofs.get(oneof);
        if (other) {
          this.fail(fieldPath, `only one of ${oneof.oneof.join(', ')} may be set; ${other} is`);
          continue;
        }
        oneofs.set(oneof, field.name);
      }
      object[field.name] = this.field(field, item, fieldPath);
    }
    return object;
  }

  field(field, value, path) {
    if (field.map) {
      if (!isObject(value)) return this.fail(path, `must be a JSON object, not ${describe(value)}`);
      // No prototype: a key such as "__proto__" is an ordinary map key.
      const map = Object.create(null);
      for (const [key, item] of Object.entries(value)) {
        const itemPath = `${path}["${bound(key, QUOTE_CHARS)}"]`;
        if (field.keyType !== 'string' && this.mapKey(field.keyType, key, itemPath) === undefined) {
          continue;
        }
        map[key] = this.single(field, item, itemPath);
      }
      return map;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        return this.fail(path, `must be a JSON array, not ${describe(value)}`);
      }
      return value.map((item, i) => this.single(field, item, `${path}[${i}]`));
    }
    return this.single(field, value, path);
  }

  mapKey(keyType, key, path) {
    if (keyType === 'bool') {
      return key === 'true' || key === 'false' ? key : this.fail(path, 'key must be true or false');
    }
    return this.integer(INTEGER_RANGES[keyType], key, path);
  }

  single(field, value, path) {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value, path);
    if (resolved instanceof protobuf.Enum) return this.enumValue(resolved, value, path);
    if (field.type in INTEGER_RANGES) return this.integer(INTEGER_RANGES[field.type], value, path);
    switch (field.type) {
      case 'double':
      case 'float':
        return this.number(value, path);
      case 'bool':
        return typeof value === 'boolean' ? value :
          this.fail(path, `must be true or false, not ${describe(value)}`);
      case 'string':
        return typeof value === 'string' ? value :
          this.fail(path, `must be a string, not ${describe(value)}`);
      case 'bytes':
        return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value) ? value :
          this.fail(path, 'must be base64 text');
      default:
        return this.fail(path, `has type ${field.type}, which this gateway cannot read`);
    }
  }

  enumValue(enumType, value, path) {
    const number = typeof value === 'string' ? enumNumber(enumType, value) :
      Number.isInteger(value) && Object.hasOwn(enumType.valuesById, value) ? value : undefined;
    if (number !== undefined) return number;
    return this.fail(path,
        `${describe(value)} is not a value of ${enumType.name}: use ${enumChoices(enumType)}`);
  }

  number(value, path) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      if (/^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
    }
    return this.fail(path, `must be a number, not ${describe(value)}`);
  }

  // A number for 32-bit fields, a decimal string for 64-bit ones (exact beyond 2^53).
  integer(range, value, path) {
    let integer;
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (!Number.isSafeInteger(value)) {
        return this.fail(path, 'is beyond 2^53: write it as a string, e.g. "18446744073709551615"');
      }
      integer = BigInt(value);
    } else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
      integer = BigInt(value);
    } else {
      return this.fail(path, `must be an integer, not ${describe(value)}`);
    }
    if (integer < range.min || integer > range.max) {
      return this.fail(path, `must be from ${range.min} to ${range.max}`);
    }
    return range.long ? integer.toString() : Number(integer);
  }
}

// The request object of `type` that `value` (parsed JSON) holds, for protobufjs's
// fromObject; throws an INVALID_ARGUMENT ApiError naming every bad field. `path` prefixes
// the field names, e.g. "portfolio".
export function fromJson(type, value, path = '') {
  const reader = new Reader();
  const object = reader.message(type, value, path);
  if (reader.violations.length > 0) throw invalidArgument(reader.violations);
  return object;
}

const outFields = new WeakMap();

// A type's fields with their JSON names, computed once per type.
function outFieldsOf(type) {
  let fields = outFields.get(type);
  if (!fields) {
    fields = type.fieldsArray.map((field) => ({
      name: field.name,
      json: jsonName(field),
      map: field.map,
      repeated: field.repeated,
      type: field.resolvedType instanceof protobuf.Type ? field.resolvedType : null,
    }));
    outFields.set(type, fields);
  }
  return fields;
}

// The JSON of a message of `type` as proto-loader decodes it (protos.js: enums and 64-bit
// integers already strings, defaults set, unset messages null).
export function toJson(type, object) {
  const json = {};
  for (const field of outFieldsOf(type)) {
    const value = object[field.name];
    if (value === null || value === undefined) continue;
    const out = field.type ? (item) => toJson(field.type, item) : (item) => item;
    if (field.map) {
      const map = {};
      for (const [key, item] of Object.entries(value)) map[key] = out(item);
      json[field.json] = map;
    } else if (field.repeated) {
      json[field.json] = field.type ? value.map(out) : value;
    } else {
      json[field.json] = out(value);
    }
  }
  return json;
}
