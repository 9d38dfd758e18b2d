/** SignatureAlgorithm identifiers as pkijs objects (certificates, CRLs, TSA tokens). */
import * as pkijs from "pkijs"
import type { SignatureAlgorithm } from "../../ports/Signer.ts"
import { signatureAlgorithmDer } from "./cades.ts"

/** The same encoding the PAdES CMS uses (see cades.ts). */
export const signatureAlgorithmId = (algorithm: SignatureAlgorithm): pkijs.AlgorithmIdentifier =>
  pkijs.AlgorithmIdentifier.fromBER(new Uint8Array(signatureAlgorithmDer(algorithm)))
