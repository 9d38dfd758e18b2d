/**
 * Snowflake ids: 41 bits of milliseconds since EPOCH, 10 bits of worker id,
 * 12 bits of sequence. With the 2010 epoch the ids are 19 digits long from
 * mid-2018 to 2080 (e.g. 1248849947504173056), strictly increasing per worker and
 * unique across workers as long as no two live processes share a worker id.
 */
export const EPOCH_MS = 1288834974657n
export const MAX_WORKER = 1023
const MAX_SEQUENCE = 4095n

export interface SnowflakeState {
  readonly lastMs: bigint
  readonly sequence: bigint
}

export const initialSnowflake: SnowflakeState = { lastMs: -1n, sequence: 0n }

/**
 * Next id for `workerId` at wall time `nowMs`. When the clock goes backwards or
 * the 4096 ids of one millisecond are used up, it borrows the next millisecond
 * (ids stay ordered; they run slightly ahead of the clock until it catches up).
 */
export const nextSnowflake = (
  state: SnowflakeState,
  nowMs: number,
  workerId: number,
): readonly [id: string, state: SnowflakeState] => {
  if (!Number.isInteger(workerId) || workerId < 0 || workerId > MAX_WORKER) {
    throw new RangeError(`worker id ${workerId} outside 0..${MAX_WORKER}`)
  }
  let ms = BigInt(Math.floor(nowMs))
  let sequence = 0n
  if (ms <= state.lastMs) {
    ms = state.lastMs
    sequence = state.sequence + 1n
    if (sequence > MAX_SEQUENCE) {
      ms = state.lastMs + 1n
      sequence = 0n
    }
  }
  const id = ((ms - EPOCH_MS) << 22n) | (BigInt(workerId) << 12n) | sequence
  return [id.toString(), { lastMs: ms, sequence }]
}

/** The millisecond timestamp an id was made at. */
export const snowflakeTime = (id: string): number => Number((BigInt(id) >> 22n) + EPOCH_MS)
