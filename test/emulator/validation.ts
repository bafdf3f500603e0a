// Limits Discord enforces on what the bot sends (discord.js checks none of these lengths itself).
import { invalidFormBody, type FieldError } from './errors.ts';
import { isJsonObject } from './state.ts';
import type { Json, JsonObject } from './model.ts';

const maxLen = (path: FieldError['path'], max: number): FieldError => ({
  path,
  code: 'BASE_TYPE_MAX_LENGTH',
  message: `Must be ${max} or fewer in length.`,
});
const required = (path: FieldError['path']): FieldError => ({
  path,
  code: 'BASE_TYPE_REQUIRED',
  message: 'This field is required',
});

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function checkLen(errors: FieldError[], value: Json | undefined, path: FieldError['path'], max: number): number {
  const s = str(value);
  if (s === undefined) return 0;
  if ([...s].length > max) errors.push(maxLen(path, max));
  return [...s].length;
}

/**
 * Message body limits: content 2,000; up to 10 embeds with title 256, description 4,096, 25 fields
 * (name 256, value 1,024), footer 2,048, author 256, 6,000 characters in all; allowed_mentions parse/list exclusivity.
 * `prefix` nests the errors (interaction callbacks put the message under `data`).
 */
export function messageErrors(body: JsonObject, prefix: FieldError['path'] = []): FieldError[] {
  const errors: FieldError[] = [];
  checkLen(errors, body['content'], [...prefix, 'content'], 2000);
  const embeds = body['embeds'];
  if (Array.isArray(embeds)) {
    if (embeds.length > 10) errors.push(maxLen([...prefix, 'embeds'], 10));
    let total = 0;
    embeds.forEach((e, i) => {
      if (!isJsonObject(e)) return;
      const p = [...prefix, 'embeds', i];
      total += checkLen(errors, e['title'], [...p, 'title'], 256);
      total += checkLen(errors, e['description'], [...p, 'description'], 4096);
      const footer = e['footer'];
      if (isJsonObject(footer)) total += checkLen(errors, footer['text'], [...p, 'footer', 'text'], 2048);
      const author = e['author'];
      if (isJsonObject(author)) total += checkLen(errors, author['name'], [...p, 'author', 'name'], 256);
      const fields = e['fields'];
      if (Array.isArray(fields)) {
        if (fields.length > 25) errors.push(maxLen([...p, 'fields'], 25));
        fields.forEach((f, j) => {
          if (!isJsonObject(f)) return;
          if (typeof f['name'] !== 'string') errors.push(required([...p, 'fields', j, 'name']));
          if (typeof f['value'] !== 'string') errors.push(required([...p, 'fields', j, 'value']));
          total += checkLen(errors, f['name'], [...p, 'fields', j, 'name'], 256);
          total += checkLen(errors, f['value'], [...p, 'fields', j, 'value'], 1024);
        });
      }
    });
    if (total > 6000) {
      errors.push({
        path: [...prefix, 'embeds'],
        code: 'MAX_EMBED_SIZE_EXCEEDED',
        message: 'Embed size exceeds maximum size of 6000',
      });
    }
  }
  const am = body['allowed_mentions'];
  if (isJsonObject(am)) {
    const parse = Array.isArray(am['parse']) ? am['parse'] : [];
    for (const kind of ['users', 'roles'] as const) {
      const list = am[kind];
      if (parse.includes(kind) && Array.isArray(list) && list.length > 0) {
        errors.push({
          path: [...prefix, 'allowed_mentions', kind],
          code: 'SET_TYPE_ALREADY_CONTAINS_VALUE',
          message: `parse:["${kind}"] and ${kind}:[...] are mutually exclusive.`,
        });
      }
      if (Array.isArray(list) && list.length > 100) errors.push(maxLen([...prefix, 'allowed_mentions', kind], 100));
    }
    for (const p of parse) {
      if (p !== 'users' && p !== 'roles' && p !== 'everyone') {
        errors.push({
          path: [...prefix, 'allowed_mentions', 'parse'],
          code: 'ENUM_TYPE_COERCE',
          message: `Value "${String(p)}" is not a valid enum value.`,
        });
      }
    }
  }
  const components = body['components'];
  if (Array.isArray(components) && components.length > 5 && (Number(body['flags'] ?? 0) & (1 << 15)) === 0) {
    errors.push(maxLen([...prefix, 'components'], 5));
  }
  return errors;
}

export function assertMessage(body: JsonObject, prefix: FieldError['path'] = []): void {
  const errors = messageErrors(body, prefix);
  if (errors.length > 0) throw invalidFormBody(errors, 'message-limits');
}

/**
 * Modal (callback type 9): title 45, custom_id 100, 1–5 rows, text inputs with label 45, value/max_length 4,000.
 * `strict` (the modalRules rule) adds: one text input per action row, a label on each (≤ 45), min_length 0–4,000.
 */
export function modalErrors(data: JsonObject, strict = true): FieldError[] {
  const errors: FieldError[] = [];
  const p = ['data'];
  if (typeof data['title'] !== 'string' || data['title'].length === 0) errors.push(required([...p, 'title']));
  else checkLen(errors, data['title'], [...p, 'title'], 45);
  if (typeof data['custom_id'] !== 'string' || data['custom_id'].length === 0) errors.push(required([...p, 'custom_id']));
  else checkLen(errors, data['custom_id'], [...p, 'custom_id'], 100);
  const rows = data['components'];
  if (!Array.isArray(rows) || rows.length === 0) {
    errors.push(required([...p, 'components']));
    return errors;
  }
  if (rows.length > 5) errors.push(maxLen([...p, 'components'], 5));
  rows.forEach((row, i) => {
    if (!isJsonObject(row)) return;
    const inputs = textInputsOfRow(row);
    if (strict && row['type'] === 1 && inputs.length > 1) {
      errors.push({ path: [...p, 'components', i, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1 or fewer in length.' });
    }
    if (strict && row['type'] === 18) {
      if (typeof row['label'] !== 'string' || row['label'].length === 0) errors.push(required([...p, 'components', i, 'label']));
      else checkLen(errors, row['label'], [...p, 'components', i, 'label'], 45);
    }
    inputs.forEach(({ input, path }) => {
      const ip = [...p, 'components', i, ...path];
      if (strict && row['type'] === 1 && (typeof input['label'] !== 'string' || input['label'].length === 0)) errors.push(required([...ip, 'label']));
      const min = input['min_length'];
      if (strict && min !== undefined && (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > 4000)) {
        const code = typeof min === 'number' && min < 0 ? 'NUMBER_TYPE_MIN' : 'NUMBER_TYPE_MAX';
        const message =
          typeof min === 'number' && min < 0 ? 'int value should be greater than or equal to 0.' : 'int value should be less than or equal to 4000.';
        errors.push({ path: [...ip, 'min_length'], code, message });
      }
      if (typeof input['custom_id'] !== 'string') errors.push(required([...ip, 'custom_id']));
      else checkLen(errors, input['custom_id'], [...ip, 'custom_id'], 100);
      if (input['label'] !== undefined) checkLen(errors, input['label'], [...ip, 'label'], 45);
      checkLen(errors, input['value'], [...ip, 'value'], 4000);
      checkLen(errors, input['placeholder'], [...ip, 'placeholder'], 100);
      const max = input['max_length'];
      if (typeof max === 'number' && (max < 1 || max > 4000)) {
        errors.push({ path: [...ip, 'max_length'], code: 'NUMBER_TYPE_MAX', message: 'int value should be <= 4000.' });
      }
      const style = input['style'];
      if (style !== undefined && style !== 1 && style !== 2) {
        errors.push({ path: [...ip, 'style'], code: 'ENUM_TYPE_COERCE', message: 'Value is not a valid enum value.' });
      }
    });
  });
  return errors;
}

/** The text inputs of a modal row: an action row `{type:1, components:[…]}` or a label `{type:18, component}`. */
export function textInputsOfRow(row: JsonObject): { input: JsonObject; path: (string | number)[] }[] {
  const out: { input: JsonObject; path: (string | number)[] }[] = [];
  const comps = row['components'];
  if (Array.isArray(comps)) {
    comps.forEach((c, j) => {
      if (isJsonObject(c) && c['type'] === 4) out.push({ input: c, path: ['components', j] });
    });
  }
  const single = row['component'];
  if (isJsonObject(single) && single['type'] === 4) out.push({ input: single, path: ['component'] });
  return out;
}

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Application command definitions: name, description, option count and order. */
export function commandErrors(cmd: JsonObject, index: number): FieldError[] {
  const errors: FieldError[] = [];
  const p = [index];
  const type = cmd['type'] ?? 1;
  const name = cmd['name'];
  if (typeof name !== 'string') errors.push(required([...p, 'name']));
  else if (type === 1 && (!NAME_RE.test(name) || name !== name.toLowerCase())) {
    errors.push({ path: [...p, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
  if (type === 1) {
    const d = cmd['description'];
    if (typeof d !== 'string' || d.length === 0) errors.push(required([...p, 'description']));
    else checkLen(errors, d, [...p, 'description'], 100);
  }
  optionErrors(cmd['options'], [...p, 'options'], errors);
  return errors;
}

function optionErrors(options: Json | undefined, path: FieldError['path'], errors: FieldError[]): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25) errors.push(maxLen(path, 25));
  let seenOptional = false;
  options.forEach((o, i) => {
    if (!isJsonObject(o)) return;
    const op = [...path, i];
    const name = o['name'];
    if (typeof name !== 'string' || !NAME_RE.test(name) || name !== name.toLowerCase()) {
      errors.push({ path: [...op, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    }
    const d = o['description'];
    if (typeof d !== 'string' || d.length === 0) errors.push(required([...op, 'description']));
    else checkLen(errors, d, [...op, 'description'], 100);
    if (o['required'] === true && seenOptional) {
      errors.push({
        path: [...op, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (o['required'] !== true) seenOptional = true;
    const choices = o['choices'];
    if (Array.isArray(choices) && choices.length > 25) errors.push(maxLen([...op, 'choices'], 25));
    if (o['type'] === 1 || o['type'] === 2) optionErrors(o['options'], [...op, 'options'], errors);
  });
}

/** Autocomplete result (callback type 8): up to 25 choices, names 1–100, string values up to 100. */
export function autocompleteErrors(data: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const choices = data['choices'];
  if (!Array.isArray(choices)) return [required(['data', 'choices'])];
  if (choices.length > 25) errors.push(maxLen(['data', 'choices'], 25));
  choices.forEach((c, i) => {
    if (!isJsonObject(c)) return;
    checkLen(errors, c['name'], ['data', 'choices', i, 'name'], 100);
    if (typeof c['value'] === 'string') checkLen(errors, c['value'], ['data', 'choices', i, 'value'], 100);
  });
  return errors;
}

export const AUTO_ARCHIVE_DURATIONS: readonly number[] = [60, 1440, 4320, 10080];

export function threadNameErrors(name: Json | undefined, required_: boolean): FieldError[] {
  if (name === undefined) return required_ ? [required(['name'])] : [];
  if (typeof name !== 'string' || name.length === 0) return [required(['name'])];
  if ([...name].length > 100) return [maxLen(['name'], 100)];
  return [];
}
