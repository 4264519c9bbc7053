// A native DuckDB result as Arrow IPC stream bytes. @duckdb/node-api has no Arrow output (its C API
// has none, and the `arrow` extension's to_arrow_ipc cannot be installed offline), so the columns
// are built with apache-arrow 13, in the Arrow types DuckDB-WASM 1.28 gives the renderer for the
// same SQL: BIGINT → Int64 (bigint), DECIMAL/HUGEINT → Decimal128, TIMESTAMP → Timestamp<µs>,
// DATE → Date32, UBIGINT[] → List<Uint64>, a bare NULL → Int32. So a view reads the same values
// whichever engine answered. Types the views never ask for (structs, maps, intervals, blobs) are
// sent as their text. Results are pages and small aggregates, so per-value building is fine.
import {
  type DuckDBDecimalValue,
  type DuckDBListType,
  type DuckDBResultReader,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { type ArrowTypes, arrow } from '../../shared/arrow.ts';

type ArrowType = ArrowTypes.DataType;
type ArrowVector = ArrowTypes.Vector;

const T = DuckDBTypeId;

function arrowType(t: DuckDBType): ArrowType {
  switch (t.typeId) {
    case T.BOOLEAN:
      return new arrow.Bool();
    case T.TINYINT:
      return new arrow.Int8();
    case T.SMALLINT:
      return new arrow.Int16();
    case T.INTEGER:
    case T.SQLNULL:
      return new arrow.Int32();
    case T.BIGINT:
      return new arrow.Int64();
    case T.UTINYINT:
      return new arrow.Uint8();
    case T.USMALLINT:
      return new arrow.Uint16();
    case T.UINTEGER:
      return new arrow.Uint32();
    case T.UBIGINT:
      return new arrow.Uint64();
    case T.FLOAT:
      return new arrow.Float32();
    case T.DOUBLE:
      return new arrow.Float64();
    case T.DECIMAL:
      return new arrow.Decimal(t.scale, t.width, 128);
    case T.HUGEINT:
    case T.UHUGEINT:
      return new arrow.Decimal(0, 38, 128);
    case T.TIMESTAMP:
      return new arrow.TimestampMicrosecond();
    case T.TIMESTAMP_TZ:
      return new arrow.TimestampMicrosecond('UTC');
    case T.DATE:
      return new arrow.DateDay();
    case T.LIST:
      return new arrow.List(new arrow.Field('l', arrowType((t as DuckDBListType).valueType), true));
    default:
      return new arrow.Utf8();
  }
}

/** Little-endian two's-complement words of a 128-bit integer (Arrow's Decimal128 layout). */
function decimalWords(v: bigint, out: Uint32Array, at: number): void {
  let x = BigInt.asUintN(128, v);
  for (let w = 0; w < 4; w++) {
    out[at * 4 + w] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

function unscaled(v: DuckDBValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return (v as DuckDBDecimalValue).value;
}

function nullBitmap(values: readonly DuckDBValue[]): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { bitmap, nulls };
}

/** Fixed-width columns whose JS builders would round (µs timestamps) or cannot take bigint. */
function fixedData(type: ArrowType, duck: DuckDBType, values: readonly DuckDBValue[]): ArrowVector | null {
  const { bitmap, nulls } = nullBitmap(values);
  const base = { type, length: values.length, nullCount: nulls, nullBitmap: bitmap };
  if (arrow.DataType.isDecimal(type)) {
    const data = new Uint32Array(values.length * 4);
    values.forEach((v, i) => {
      if (v !== null) decimalWords(unscaled(v), data, i);
    });
    return arrow.makeVector(arrow.makeData({ ...base, type, data }));
  }
  if (arrow.DataType.isTimestamp(type)) {
    const micros = new BigInt64Array(values.length);
    values.forEach((v, i) => {
      if (v !== null) micros[i] = (v as { micros: bigint }).micros;
    });
    return arrow.makeVector(arrow.makeData({ ...base, type, data: new Int32Array(micros.buffer) }));
  }
  const Numbers = NUMERIC[duck.typeId];
  if (Numbers && (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type))) {
    // Numbers (and bigints for 64-bit columns) straight into the typed array Arrow stores.
    const data = new Numbers(values.length);
    values.forEach((v, i) => {
      if (v !== null) data[i] = v as never;
    });
    // Typed as one numeric type: makeData dispatches on the runtime type, whose array this is.
    return arrow.makeVector(
      arrow.makeData({ ...base, type: type as ArrowTypes.Int32, data: data as unknown as Int32Array }),
    );
  }
  if (arrow.DataType.isUtf8(type)) return utf8Data(type, base, values);
  if (arrow.DataType.isDate(type) && duck.typeId === T.DATE) {
    const days = new Int32Array(values.length);
    values.forEach((v, i) => {
      if (v !== null) days[i] = (v as { days: number }).days;
    });
    return arrow.makeVector(arrow.makeData({ ...base, type, data: days }));
  }
  return null;
}

type TypedArrayOf = new (n: number) => ArrayLike<number | bigint> & { [i: number]: number | bigint };

/** DuckDB types whose values are numbers (or bigints) in exactly the Arrow array of arrowType(). */
const NUMERIC: Partial<Record<DuckDBTypeId, TypedArrayOf>> = {
  [T.TINYINT]: Int8Array,
  [T.SMALLINT]: Int16Array,
  [T.INTEGER]: Int32Array,
  [T.BIGINT]: BigInt64Array,
  [T.UTINYINT]: Uint8Array,
  [T.USMALLINT]: Uint16Array,
  [T.UINTEGER]: Uint32Array,
  [T.UBIGINT]: BigUint64Array,
  [T.FLOAT]: Float32Array,
  [T.DOUBLE]: Float64Array,
};

const utf8 = new TextEncoder();

/** Text columns: offsets and UTF-8 bytes written directly (the builder appends value by value). */
function utf8Data(
  type: ArrowType,
  base: { length: number; nullCount: number; nullBitmap: Uint8Array },
  values: readonly DuckDBValue[],
): ArrowVector {
  const texts = values.map((v) => (v === null ? '' : typeof v === 'string' ? v : String(v)));
  let bytes = new Uint8Array(texts.reduce((n, t) => n + t.length * 3, 0));
  const valueOffsets = new Int32Array(texts.length + 1);
  let at = 0;
  texts.forEach((t, i) => {
    at += utf8.encodeInto(t, bytes.subarray(at)).written;
    valueOffsets[i + 1] = at;
  });
  bytes = bytes.slice(0, at);
  return arrow.makeVector(
    arrow.makeData({ ...base, type: type as ArrowTypes.Utf8, data: bytes, valueOffsets }),
  );
}

/** A value as the Arrow builder of `type` takes it (the builder is left for what fixedData and the
 * boolean and list writers do not take: a bare NULL column). */
function builderValue(type: ArrowType, v: DuckDBValue): unknown {
  if (v === null) return null;
  if (arrow.DataType.isUtf8(type)) return typeof v === 'string' ? v : String(v);
  if (arrow.DataType.isTimestamp(type)) return Number((v as { micros: bigint }).micros / 1000n);
  if (arrow.DataType.isDate(type)) return new Date((v as { days: number }).days * 86_400_000);
  if (arrow.DataType.isDecimal(type)) {
    const words = new Uint32Array(4);
    decimalWords(unscaled(v), words, 0);
    return words;
  }
  return v;
}

/** Booleans, bit-packed as Arrow stores them. */
function boolData(type: ArrowType, values: readonly DuckDBValue[]): ArrowVector {
  const { bitmap, nulls } = nullBitmap(values);
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
  return arrow.makeVector(
    arrow.makeData({
      type: type as ArrowTypes.Bool,
      length: values.length,
      nullCount: nulls,
      nullBitmap: bitmap,
      data: bits,
    }),
  );
}

/** A list column: offsets over one child column of all the items (seeds: UBIGINT[]). */
function listData(duck: DuckDBListType, values: readonly DuckDBValue[]): ArrowVector {
  const { bitmap, nulls } = nullBitmap(values);
  const valueOffsets = new Int32Array(values.length + 1);
  const items: DuckDBValue[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as { items: readonly DuckDBValue[] } | null;
    if (v) for (const x of v.items) items.push(x);
    valueOffsets[i + 1] = items.length;
  }
  const child = column(duck.valueType, items).data[0]!;
  const listType = new arrow.List(new arrow.Field('l', child.type, true));
  return arrow.makeVector(
    arrow.makeData({
      type: listType,
      length: values.length,
      nullCount: nulls,
      nullBitmap: bitmap,
      valueOffsets,
      child,
    }),
  );
}

function column(duck: DuckDBType, values: readonly DuckDBValue[]): ArrowVector {
  const type = arrowType(duck);
  // Without a builder: each builder compiles a null check (`new Function`) when it is made.
  if (arrow.DataType.isBool(type)) return boolData(type, values);
  if (arrow.DataType.isList(type)) return listData(duck as DuckDBListType, values);
  const fixed = fixedData(type, duck, values);
  if (fixed) return fixed;
  const builder = arrow.makeBuilder({ type, nullValues: [null] });
  for (const v of values) builder.append(builderValue(type, v));
  return builder.finish().toVector();
}

/** Every row of `reader` (already read to its end) as one Arrow IPC stream. */
export function resultToIpc(reader: DuckDBResultReader): Uint8Array {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumns();
  const fields: ArrowTypes.Field[] = [];
  const children: ArrowTypes.Data[] = [];
  names.forEach((name, i) => {
    const vector = column(types[i]!, columns[i] ?? []);
    fields.push(new arrow.Field(name, vector.type, true));
    children.push(vector.data[0] ?? arrow.makeData({ type: vector.type, length: 0 }));
  });
  // Built from a struct, not `new Table({name: vector})`: result names may repeat (`SELECT 1, 1`).
  const schema = new arrow.Schema(fields);
  const struct = arrow.makeData({
    type: new arrow.Struct(fields),
    length: reader.currentRowCount,
    nullCount: 0,
    children,
  });
  const batch = new arrow.RecordBatch(schema, struct);
  return arrow.tableToIPC(new arrow.Table(schema, [batch]), 'stream');
}
