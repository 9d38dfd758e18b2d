/**
 * RFC 6962 / RFC 9162 Merkle tree arithmetic, independent of storage.
 *
 * Storage keeps only complete subtrees: node (level, index) covers leaves
 * [index * 2^level, (index + 1) * 2^level). Every hash a proof needs is the
 * hash of a range [a, b) whose start is aligned to the range's size rounded up
 * to a power of two, so it is the right fold of at most log2(n) complete
 * subtrees: proofs read O(log^2 n) stored nodes at worst (usually O(log n)),
 * and appends write about two nodes per leaf.
 */
import { sha256 as pureSha256 } from "../crypto/sha256.ts"
import { nodeHashInto } from "../crypto/sha256Node.ts"

export type Sha256 = (...parts: ReadonlyArray<Uint8Array>) => Uint8Array

export interface NodeKey {
  readonly level: number
  readonly index: number
}

export interface TreeNode extends NodeKey {
  readonly hash: Uint8Array
}

/** A run of leaves [start, end) whose tree hash is part of a proof. */
export type Range = readonly [start: number, end: number]

const LEAF_PREFIX = new Uint8Array([0])
const NODE_PREFIX = new Uint8Array([1])

export const leafHash = (sha256: Sha256, data: Uint8Array): Uint8Array => sha256(LEAF_PREFIX, data)
export const nodeHash = (sha256: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array => sha256(NODE_PREFIX, left, right)

/** Largest power of two strictly below n (n >= 2). */
export const splitPoint = (n: number): number => {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

const isPowerOfTwo = (n: number): boolean => n > 0 && splitPoint(n + 1) === n

/** The complete subtrees that make up [start, end), left to right. */
export const rangeNodes = (start: number, end: number): Array<NodeKey> => {
  const out: Array<NodeKey> = []
  let a = start
  while (a < end) {
    let size = 1
    let level = 0
    while (a % (size * 2) === 0 && a + size * 2 <= end) {
      size *= 2
      level += 1
    }
    out.push({ level, index: a / size })
    a += size
  }
  return out
}

/** Tree hash of a range from the hashes of its complete subtrees (right fold, as the RFC's MTH splits). */
export const foldRange = (sha256: Sha256, hashes: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (hashes.length === 0) return sha256()
  let acc = hashes[hashes.length - 1]!
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(sha256, hashes[i]!, acc)
  return acc
}

/** RFC 9162 PATH(m, D[0:n]): the ranges whose hashes form the inclusion proof, leaf to root. */
export const inclusionRanges = (index: number, size: number): Array<Range> => {
  const out: Array<Range> = []
  let [a, b] = [0, size]
  while (b - a > 1) {
    const k = splitPoint(b - a)
    if (index < a + k) {
      out.push([a + k, b])
      b = a + k
    } else {
      out.push([a, a + k])
      a = a + k
    }
  }
  return out.reverse()
}

/**
 * RFC 9162 PROOF(m, D[0:n]) via SUBPROOF: the ranges of the consistency proof.
 * When m is a complete subtree on the path (m a power of two included), the
 * old root itself is left out: the verifier already has it.
 */
export const consistencyRanges = (oldSize: number, newSize: number): Array<Range> => {
  if (oldSize <= 0 || oldSize >= newSize) return []
  const out: Array<Range> = []
  let [m, a, b, complete] = [oldSize, 0, newSize, true]
  while (m !== b - a) {
    const k = splitPoint(b - a)
    if (m <= k) {
      out.push([a + k, b])
      b = a + k
    } else {
      out.push([a, a + k])
      m -= k
      a += k
      complete = false
    }
  }
  if (!complete) out.push([a, b])
  return out.reverse()
}

/** Every stored node the given ranges need, and how to turn their hashes into the proof. */
export const planProof = (ranges: ReadonlyArray<Range>) => {
  const perRange = ranges.map(([a, b]) => rangeNodes(a, b))
  return {
    keys: perRange.flat(),
    assemble: (sha256: Sha256, hashes: ReadonlyArray<Uint8Array>): Array<Uint8Array> => {
      let at = 0
      return perRange.map((nodes) => {
        const part = hashes.slice(at, at + nodes.length)
        at += nodes.length
        return foldRange(sha256, part)
      })
    },
  }
}

/**
 * Nodes to store when `leaves` (leaf hashes) are appended to a tree of
 * `size` leaves whose right edge (`rangeNodes(0, size)`) hashes are `frontier`:
 * the new leaves and every subtree they complete.
 */
export const appendNodes = (
  sha256: Sha256,
  size: number,
  frontier: ReadonlyArray<Uint8Array>,
  leaves: ReadonlyArray<Uint8Array>,
): Array<TreeNode> => {
  const stack: Array<TreeNode> = rangeNodes(0, size).map((k, i) => ({ ...k, hash: frontier[i]! }))
  const written: Array<TreeNode> = []
  leaves.forEach((hash, i) => {
    let node: TreeNode = { level: 0, index: size + i, hash }
    written.push(node)
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(sha256, left.hash, node.hash) }
      written.push(node)
    }
    stack.push(node)
  })
  return written
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
const odd = (n: number) => n % 2 === 1
/** verifyInclusion's running hash with the pure SHA-256 (synchronous, so calls never share it). */
const scratch = new Uint8Array(32)
const half = (n: number) => Math.floor(n / 2)

/** RFC 9162 section 2.1.3.2: does `proof` put `leaf` (a leaf hash) at `index` of the tree with `root` and `size`? */
export const verifyInclusion = (
  sha256: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: ReadonlyArray<Uint8Array>,
  root: Uint8Array,
): boolean => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false
  if (leaf.length !== 32) return false
  // Plain numbers, no tuples, no allocation with the pure hash (the running hash lives in one scratch buffer):
  // this loop is the verifier's hot path (tens of thousands of proofs a second).
  const fast = sha256 === pureSha256
  let fn = index
  let sn = size - 1
  let r = leaf
  if (fast) {
    scratch.set(leaf)
    r = scratch
  }
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i]!
    if (p.length !== 32 || sn === 0) return false
    if ((fn & 1) === 1 || fn === sn) {
      r = fast ? nodeHashInto(1, p, r, r) : nodeHash(sha256, p, r)
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
      }
    } else r = fast ? nodeHashInto(1, r, p, r) : nodeHash(sha256, r, p)
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && equal(r, root)
}

/** RFC 9162 section 2.1.4.2: is the tree (newSize, newRoot) an extension of (oldSize, oldRoot)? */
export const verifyConsistency = (
  sha256: Sha256,
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: ReadonlyArray<Uint8Array>,
): boolean => {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false
  if (oldSize === newSize) return proof.length === 0 && equal(oldRoot, newRoot)
  if (oldSize === 0) return proof.length === 0
  if (proof.some((p) => p.length !== 32)) return false
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof]
  if (path.length === 0) return false
  let [fn, sn] = [oldSize - 1, newSize - 1]
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)]
  let fr = path[0]!
  let sr = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (odd(fn) || fn === sn) {
      fr = nodeHash(sha256, c, fr)
      sr = nodeHash(sha256, c, sr)
      if (!odd(fn)) while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)]
    } else sr = nodeHash(sha256, sr, c)
    ;[fn, sn] = [half(fn), half(sn)]
  }
  return equal(fr, oldRoot) && equal(sr, newRoot) && sn === 0
}
