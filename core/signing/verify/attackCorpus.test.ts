/**
 * The attack corpus (fixtures/signing/attackCorpus.ts): every case is a file
 * signed by Signet or openssl and then changed by raw incremental updates;
 * the verifier's verdict must be what a reader of the document would demand.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { SoftwareCa } from "../../../adapters/ca/index.ts"
import {
  acroForm, addAnnotation, addContent, addTextField, annotationKinds, appendUpdate, body, catalog, classicPdf, fillTextField, formPdf, fresh, join2,
  latin, linearizedPdf, makeSigners, objectOffsets, objectStreamPdf, opaqueAp, pageNums, rawSign, sigFieldNum, signetSign, signpdfCoSign, updatedPdf,
  type Signers,
} from "../../../fixtures/signing/attackCorpus.ts"
import { openTestCa } from "../../../fixtures/signing/pki.ts"


/** A two-page PDF with an empty signature field "Empty" added (unsigned) in its own update; `w` is the field's object. */
const withEmptySignatureField = async () => {
  const base = await classicPdf(2)
  const w = fresh(base)()
  const empty = appendUpdate(base, [
    { num: w, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Empty) /F 132 /P ${page1(base)} 0 R /Rect [0 0 0 0] >>` },
    { num: page1(base), body: arrayPush(body(base, page1(base)), "Annots", `${w} 0 R`) },
    { num: catalog(base).num, body: dictSet(catalog(base).body, { AcroForm: `<< /Fields [${w} 0 R] >>` }) },
  ])
  return { empty, w }
}

const hasPdfsig = requireTools("attack corpus (pdfsig)", "pdfsig")
import { arrayPush, dictSet, dictValue, refNum, streamBody, tailOf } from "../../../fixtures/signing/rawUpdate.ts"
import { runSigning } from "../../../fixtures/signing/run.ts"
import { pdfsig, tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { testSigner } from "../../../fixtures/signing/pki.ts"
import { verifyPdf, type Verdict } from "./verifyPdf.ts"

interface Ctx extends Signers {
  readonly ca: SoftwareCa
  /** Two pages, Alice's visible Signet signature on page 1. */
  readonly A: Uint8Array
  /** A plus Bob's Signet signature. */
  readonly A2: Uint8Array
  /** Xref-stream file (qpdf object streams) signed by Alice. */
  readonly X: Uint8Array
  /** Form with a text field, approval-signed by Alice. */
  readonly F: Uint8Array
  /** Form certified by Carol (openssl, raw update) with DocMDP P=1, 2, 3. */
  readonly C: Record<1 | 2 | 3, Uint8Array>
  /** Form certified by Alice through Signet (P=2). */
  readonly S2: Uint8Array
}

interface Case {
  readonly name: string
  readonly verdict: Verdict
  readonly mentions?: string
  /**
   * What pdfsig says about the signatures' own bytes (it has no change analysis): all valid, some
   * invalid, or no signature found (the attack hid it from poppler's form reader).
   */
  readonly pdfsig: "valid" | "invalid" | "none"
  /** The file, or the file and extra trusted roots (another tool's CA). */
  readonly build: (c: Ctx) => Promise<Built> | Built
}

type Built = Uint8Array | { readonly pdf: Uint8Array; readonly trust: ReadonlyArray<Uint8Array> }

const ok = (name: string, build: Case["build"], verdict: Verdict = "signaturesAdded"): Case => ({ name, verdict, pdfsig: "valid", build })
const bad = (name: string, mentions: string, build: Case["build"], verdict: Verdict = "modified", sig: Case["pdfsig"] = "valid"): Case =>
  ({ name, verdict, mentions, pdfsig: sig, build })

const page1 = (pdf: Uint8Array) => pageNums(pdf)[0] as number
const page2 = (pdf: Uint8Array) => pageNums(pdf)[1] as number
const rewrite = (pdf: Uint8Array, num: number, edit: (b: string) => string) => appendUpdate(pdf, [{ num, body: edit(body(pdf, num)) }])

/** Reverses the order of a dictionary's top-level keys, as another tool's rewrite might. */
const reorderKeys = (b: string): string => {
  const keys = [...b.matchAll(/\/([A-Za-z]+)/g)].map((m) => m[1] as string).filter((k, i, a) => a.indexOf(k) === i && dictValue(b, k) !== undefined)
  return `<< ${keys.reverse().map((k) => `/${k} ${dictValue(b, k)}`).join("\n")} >>`
}

/** A pre-signing raw update (the shadow attacker prepares the document before it is signed). */
const shadowPrepared = async (c: Ctx, base: Uint8Array, prepare: (pdf: Uint8Array) => Uint8Array) => signetSign(prepare(base), c.alice)

const annotationCases: Array<Case> = [
  ...Object.keys(annotationKinds).map((kind) =>
    bad(`approval: ${kind} annotation added on page 1`, `annotation ${kind} on page 1 added`, (c) => addAnnotation(c.A, 0, annotationKinds[kind]!))
  ),
  bad("approval: FreeText added on page 2 (no /Annots before)", "annotation FreeText on page 2", (c) => addAnnotation(c.A, 1, annotationKinds.FreeText!)),
  bad("approval: widget of a new text field", 'form field (Tx) "amount" added', (c) => addTextField(c.A)),
  bad("approval: widget with no field (orphan)", "annotation Widget", (c) =>
    addAnnotation(c.A, 0, (_s, p) => ({ body: `<< /Type /Annot /Subtype /Widget /Rect [0 0 595 842] /P ${p} 0 R /F 4 >>` }))),
  bad("approval: page 1 /Annots replaced (signature widget dropped, FreeText in)", "removed from page 1", (c) => {
    const next = fresh(c.A)
    const a = next()
    return appendUpdate(c.A, [
      { num: page1(c.A), body: dictSet(body(c.A, page1(c.A)), { Annots: `[${a} 0 R]` }) },
      { num: a, body: annotationKinds.FreeText!(a, page1(c.A), next).body },
    ])
  }),
  bad("approval: page 1 /Annots made an indirect array with one more Link", "annotation Link on page 1 added", (c) => {
    const next = fresh(c.A)
    const arr = next(), link = next()
    const old = dictValue(body(c.A, page1(c.A)), "Annots") ?? "[]"
    return appendUpdate(c.A, [
      { num: arr, body: `${old.slice(0, -1)} ${link} 0 R]` },
      { num: link, body: annotationKinds.Link!(link, page1(c.A), next).body },
      { num: page1(c.A), body: dictSet(body(c.A, page1(c.A)), { Annots: `${arr} 0 R` }) },
    ])
  }),
  bad("approval (form): text field filled in", 'form field (Tx) "name"', (c) => fillTextField(c.F, "Mallory")),
]

const pageCases: Array<Case> = [
  bad("page 1 content appended", "page 1 content changed", (c) => addContent(c.A, 0)),
  bad("page 2 content appended", "page 2 content changed", (c) => addContent(c.A, 1)),
  bad("page 1 /MediaBox changed", "page 1 /MediaBox changed", (c) => rewrite(c.A, page1(c.A), (b) => dictSet(b, { MediaBox: "[0 0 300 300]" }))),
  bad("page 1 /Rotate added", "page 1 /Rotate changed", (c) => rewrite(c.A, page1(c.A), (b) => dictSet(b, { Rotate: "90" }))),
  bad("page 2 resources replaced", "page 2 resources", (c) => rewrite(c.A, page2(c.A), (b) => dictSet(b, { Resources: "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Courier >> >> >>" }))),
  bad("page tree: a page added", "page 3 added", (c) => {
    const cat = catalog(c.A)
    const pagesNum = refNum(dictValue(cat.body, "Pages") ?? "")
    const next = fresh(c.A)
    const p = next()
    const pages = body(c.A, pagesNum)
    return appendUpdate(c.A, [
      { num: p, body: `<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox [0 0 595 842] >>` },
      { num: pagesNum, body: dictSet(arrayPush(pages, "Kids", `${p} 0 R`), { Count: "3" }) },
    ])
  }),
  bad("page tree: page 2 removed", "page 2 removed", (c) => {
    const pagesNum = refNum(dictValue(catalog(c.A).body, "Pages") ?? "")
    return rewrite(c.A, pagesNum, (b) => dictSet(b, { Kids: `[${page1(c.A)} 0 R]`, Count: "1" }))
  }),
  bad("catalog /OpenAction JavaScript added", "catalog /OpenAction changed", (c) => rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { OpenAction: "<< /S /JavaScript /JS (app.alert(1)) >>" }))),
  bad("catalog /Names (embedded file) added", "catalog /Names changed", (c) => rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { Names: "<< /EmbeddedFiles << /Names [(x.txt) << /Type /Filespec /F (x.txt) >>] >> >>" }))),
  bad("catalog /AA added", "catalog /AA changed", (c) => rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { AA: "<< /WC << /S /JavaScript /JS (1) >> >>" }))),
]

const forgeryCases: Array<Case> = [
  bad("signed field: /AP replaced by a new appearance", "signed signature field", (c) => {
    const f = sigFieldNum(c.A)
    const ap = fresh(c.A)()
    return appendUpdate(c.A, [{ num: f, body: dictSet(body(c.A, f), { AP: `<< /N ${ap} 0 R >>` }) }, opaqueAp(ap, 120, 120, "FORGED")])
  }),
  bad("signed field: its appearance stream object redefined", "/AP", (c) => {
    const f = body(c.A, sigFieldNum(c.A))
    const apNum = Number(/\/N\s+(\d+)\s+0\s+R/.exec(dictValue(f, "AP") ?? "")?.[1])
    return appendUpdate(c.A, [opaqueAp(apNum, 120, 120, "FORGED")])
  }),
  bad("signed field: /V pointed at an unsigned copy with forged /M /Name /Reason", "/V", (c) => {
    const fNum = sigFieldNum(c.A)
    const f = body(c.A, fNum)
    const sig = body(c.A, refNum(dictValue(f, "V") ?? ""))
    const copy = fresh(c.A)()
    return appendUpdate(c.A, [
      { num: copy, body: dictSet(sig, { M: "(D:20200101000000Z)", Name: "(Mallory)", Reason: "(I agree to pay)" }) },
      { num: fNum, body: dictSet(f, { V: `${copy} 0 R` }) },
    ])
  }),
  bad("signed field: its signature dictionary redefined with a forged /Reason", "/V", (c) => {
    const sigNum = refNum(dictValue(body(c.A, sigFieldNum(c.A)), "V") ?? "")
    return rewrite(c.A, sigNum, (b) => dictSet(b, { Reason: "(forged)" }))
  }),
  bad("signed field: /Rect moved", "/Rect", (c) => rewrite(c.A, sigFieldNum(c.A), (b) => dictSet(b, { Rect: "[0 0 1 1]" }))),
  bad("signed field: hidden (/F 2)", "/F", (c) => rewrite(c.A, sigFieldNum(c.A), (b) => dictSet(b, { F: "2" }))),
  bad("signed field: widget moved to page 2", "page", (c) => {
    const f = sigFieldNum(c.A)
    const p1 = body(c.A, page1(c.A))
    return appendUpdate(c.A, [
      { num: page1(c.A), body: dictSet(p1, { Annots: "[]" }) },
      { num: page2(c.A), body: arrayPush(body(c.A, page2(c.A)), "Annots", `${f} 0 R`) },
    ])
  }),
  bad("certified (Signet P=2): the certification's field /AP replaced", "signed signature field", (c) => {
    const f = sigFieldNum(c.S2)
    const ap = fresh(c.S2)()
    return appendUpdate(c.S2, [{ num: f, body: dictSet(body(c.S2, f), { AP: `<< /N ${ap} 0 R >>` }) }, opaqueAp(ap, 10, 10, "X")])
  }),
]

/** Shadow attacks: objects placed before signing, activated after it. */
const shadowCases: Array<Case> = [
  bad("shadow hide: a covering content stream dropped from page 1 after signing", "page 1 content changed", async (c) => {
    const base = await classicPdf(2, "The buyer pays 1,000")
    const prepared = await shadowPrepared(c, base, (pdf) => addContent(pdf, 0, "(cover) white box over the real amount"))
    const p = body(prepared, page1(prepared))
    const list = dictValue(p, "Contents") ?? ""
    const refs = [...list.matchAll(/\d+\s+0\s+R/g)].map((m) => m[0])
    return appendUpdate(prepared, [{ num: page1(prepared), body: dictSet(p, { Contents: `[${refs.slice(0, -1).join(" ")}]` }) }])
  }),
  bad("shadow hide via xref only: the covering stream's object made free", "page 1 content changed", async (c) => {
    const base = await classicPdf(2, "The buyer pays 1,000")
    const prepared = await shadowPrepared(c, base, (pdf) => addContent(pdf, 0, "cover"))
    const list = dictValue(body(prepared, page1(prepared)), "Contents") ?? ""
    const cover = Number([...list.matchAll(/(\d+)\s+0\s+R/g)].pop()?.[1])
    return appendUpdate(prepared, [], { entries: [{ num: cover, offset: "free" }] })
  }),
  bad("shadow replace via xref only: a content object pointed at an older definition", "page 1 content changed", async (c) => {
    const base = await classicPdf(2, "The buyer pays 1,000")
    // Before signing: object N defined twice; the xref uses the second (benign) one.
    const prepared = await shadowPrepared(c, base, (pdf) => {
      const next = fresh(pdf)
      const n = next()
      const evil = appendUpdate(pdf, [{ num: n, body: streamBody("", "BT /F1 24 Tf 50 500 Td (The buyer pays 1,000,000) Tj ET") }])
      const p = body(evil, page1(evil))
      const contents = dictValue(p, "Contents") ?? ""
      const list = contents.startsWith("[") ? `${contents.slice(0, -1)} ${n} 0 R]` : `[${contents} ${n} 0 R]`
      return appendUpdate(evil, [{ num: n, body: streamBody("", "% nothing") }, { num: page1(evil), body: dictSet(p, { Contents: list }) }])
    })
    const list = dictValue(body(prepared, page1(prepared)), "Contents") ?? ""
    const n = Number([...list.matchAll(/(\d+)\s+0\s+R/g)].pop()?.[1])
    return appendUpdate(prepared, [], { entries: [{ num: n, offset: objectOffsets(prepared, n)[0] as number }] })
  }),
  bad("shadow hide-and-replace: a shadow document prepared unused, the trailer /Root pointed at it", "/Root replaced", async (c) => {
    const base = await classicPdf(2, "The buyer pays 1,000")
    let nums: { cat: number } = { cat: 0 }
    const prepared = await shadowPrepared(c, base, (pdf) => {
      const next = fresh(pdf)
      const cat = next(), pages = next(), page = next(), content = next()
      nums = { cat }
      return appendUpdate(pdf, [
        { num: cat, body: `<< /Type /Catalog /Pages ${pages} 0 R >>` },
        { num: pages, body: `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>` },
        { num: page, body: `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 595 842] /Contents ${content} 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>` },
        { num: content, body: streamBody("", "BT /F1 24 Tf 50 500 Td (The buyer pays 1,000,000) Tj ET") },
      ])
    })
    // The shadow catalog also takes over the signed AcroForm, so the signature still shows.
    const form = dictValue(catalog(prepared).body, "AcroForm") ?? "<< >>"
    return appendUpdate(prepared, [{ num: nums.cat, body: dictSet(body(prepared, nums.cat), { AcroForm: form }) }], { root: `${nums.cat} 0 R` })
  }),
  bad("shadow hide-and-replace on an xref-stream file", "/Root replaced", async (c) => {
    let cat = 0
    const prepared = await shadowPrepared(c, await objectStreamPdf(2), (pdf) => {
      const next = fresh(pdf)
      cat = next()
      const pages = next(), page = next()
      return appendUpdate(pdf, [
        { num: cat, body: `<< /Type /Catalog /Pages ${pages} 0 R >>` },
        { num: pages, body: `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>` },
        { num: page, body: `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 595 842] >>` },
      ])
    })
    return appendUpdate(prepared, [], { root: `${cat} 0 R` })
  }, "modified", "none"),
]

const rootSwap = (pdf: Uint8Array, keepForm: boolean) => {
  const next = fresh(pdf)
  const cat = next(), pages = next(), page = next(), content = next()
  const form = keepForm ? ` /AcroForm ${dictValue(catalog(pdf).body, "AcroForm")}` : ""
  return appendUpdate(pdf, [
    { num: cat, body: `<< /Type /Catalog /Pages ${pages} 0 R${form} >>` },
    { num: pages, body: `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>` },
    { num: page, body: `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 595 842] /Contents ${content} 0 R >>` },
    { num: content, body: streamBody("", "BT /F1 24 Tf 50 500 Td (another contract) Tj ET") },
  ], { root: `${cat} 0 R` })
}

const structureCases: Array<Case> = [
  bad("root swap (classic): new catalog, page tree, page, content", "/Root replaced", (c) => rootSwap(c.A, false), "modified", "none"),
  bad("root swap (classic) keeping the signed AcroForm", "page 1 content changed", (c) => rootSwap(c.A, true)),
  bad("root swap (xref stream)", "/Root replaced", (c) => rootSwap(c.X, false), "modified", "none"),
  bad("root swap (xref stream) written with a classic table", "/Root replaced", (c) => {
    const next = fresh(c.X)
    const cat = next()
    return appendUpdate(c.X, [{ num: cat, body: `<< /Type /Catalog /Pages ${dictValue(catalog(c.X).body, "Pages")} /OpenAction << /S /URI /URI (x) >> >>` }], { root: `${cat} 0 R`, kind: "table" })
  }),
  bad("objects appended after %%EOF without an xref", "covered by no signature", (c) => {
    const next = fresh(c.A)
    const a = next()
    return appendUpdate(c.A, [
      { num: a, body: annotationKinds.FreeText!(a, page1(c.A), next).body },
      { num: page1(c.A), body: arrayPush(body(c.A, page1(c.A)), "Annots", `${a} 0 R`) },
    ], { noXref: true })
  }),
  bad("a comment after %%EOF", "covered by no signature", (c) => join2(c.A, latin("% appended by someone\n"))),
  bad("last update truncated mid-way (Bob's signature cut)", "covered by no signature", (c) => c.A2.subarray(0, c.A.length + Math.floor((c.A2.length - c.A.length) / 2))),
  bad("last update cut just before its %%EOF", "covered by no signature", (c) => {
    const u = addAnnotation(c.A, 0, annotationKinds.FreeText!)
    return u.subarray(0, u.length - 6)
  }),
  bad("signature stripped from /Fields and /Annots", "signature Signature1 removed", (c) => {
    const form = acroForm(c.A)
    return appendUpdate(c.A, [
      { num: form.num, body: dictSet(form.body, { Fields: "[]" }) },
      { num: page1(c.A), body: dictSet(body(c.A, page1(c.A)), { Annots: "[]" }) },
    ])
  }, "modified", "none"),
  bad("first of two signatures stripped from /Fields only", "taken out of the form", (c) => {
    const form = acroForm(c.A2)
    const bobField = sigFieldNum(c.A2, 1)
    return appendUpdate(c.A2, [{ num: form.num, body: dictSet(form.body, { Fields: `[${bobField} 0 R]` }) }])
  }),
  bad("an update pointing page 2 at another object's offset (unreadable revision)", "cannot be read", (c) =>
    appendUpdate(c.A, [], { entries: [{ num: page2(c.A), offset: objectOffsets(c.A, page1(c.A))[0] as number }] })),
  bad("/Perms pointed at the approval signature (certifies nothing), then a FreeText", "annotation FreeText", (c) => {
    const sigRef = dictValue(body(c.A, sigFieldNum(c.A)), "V") ?? ""
    const perms = rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { Perms: `<< /DocMDP ${sigRef} >>` }))
    return addAnnotation(perms, 0, annotationKinds.FreeText!)
  }),
  bad("catalog /AcroForm removed", "taken out of the form", (c) => rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { AcroForm: undefined }))),
  bad("second field whose /V is Alice's signature dictionary (reported once)", "Signature1 also in Alice again", (c) => {
    const sigRef = dictValue(body(c.A, sigFieldNum(c.A)), "V") ?? ""
    const next = fresh(c.A)
    const w = next()
    return appendUpdate(c.A, [
      { num: w, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Alice again) /V ${sigRef} /F 132 /P ${page1(c.A)} 0 R /Rect [0 0 0 0] >>` },
      { num: page1(c.A), body: arrayPush(body(c.A, page1(c.A)), "Annots", `${w} 0 R`) },
      ...(() => {
        const form = acroForm(c.A)
        return [{ num: form.num, body: arrayPush(form.body, "Fields", `${w} 0 R`) }]
      })(),
    ])
  }),
  bad("second field with a copy of Alice's signature (same ByteRange and CMS, /Name Mallory)", "Signature1 also in Mallory", (c) => {
    const sig = body(c.A, refNum(dictValue(body(c.A, sigFieldNum(c.A)), "V") ?? ""))
    const next = fresh(c.A)
    const copy = next(), w = next()
    const form = acroForm(c.A)
    return appendUpdate(c.A, [
      { num: copy, body: dictSet(sig, { Name: "(Mallory)" }) },
      { num: w, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Mallory) /V ${copy} 0 R /F 132 /P ${page1(c.A)} 0 R /Rect [0 0 0 0] >>` },
      { num: page1(c.A), body: arrayPush(body(c.A, page1(c.A)), "Annots", `${w} 0 R`) },
      { num: form.num, body: arrayPush(form.body, "Fields", `${w} 0 R`) },
    ])
  }),
]

const docMdpCases: Array<Case> = [
  ok("P=1 certification alone", (c) => c.C[1], "unchanged"),
  bad("P=1: another signature", "P=1", (c) => rawSign(c.C[1], c.carol, { field: "Second" })),
  bad("P=1: FreeText added", "annotation FreeText", (c) => addAnnotation(c.C[1], 0, annotationKinds.FreeText!)),
  bad("P=1: form filled", 'form field (Tx) "name"', (c) => fillTextField(c.C[1], "x")),
  ok("P=1: DSS added", (c) => appendUpdate(c.C[1], [{ num: catalog(c.C[1]).num, body: dictSet(catalog(c.C[1]).body, { DSS: "<< /Certs [] >>" }) }])),
  ok("P=2: another signature (openssl)", (c) => rawSign(c.C[2], c.carol, { field: "Second" })),
  ok("P=2: form filled", (c) => fillTextField(c.C[2], "Alice")),
  bad("P=2: a field locked by a later signature (/Lock /All) filled in", "locked by signature \"Approval\"", (c) =>
    fillTextField(rawSign(c.C[2], c.carol, { field: "Approval", lock: "<< /Type /SigFieldLock /Action /All >>" }), "Mallory")),
  ok("P=2: a field not in a later signature's /Lock /Include list filled in", (c) =>
    fillTextField(rawSign(c.C[2], c.carol, { field: "Approval", lock: "<< /Type /SigFieldLock /Action /Include /Fields [(other)] >>" }), "Alice")),
  bad("P=2: FreeText added", "annotation FreeText", (c) => addAnnotation(c.C[2], 0, annotationKinds.FreeText!)),
  bad("P=2: Stamp added", "annotation Stamp", (c) => addAnnotation(c.C[2], 0, annotationKinds.Stamp!)),
  bad("P=2: page content changed", "page 1 content changed", (c) => addContent(c.C[2], 0)),
  bad("P=2: new text field", "added", (c) => addTextField(c.C[2])),
  ok("P=3: FreeText added", (c) => addAnnotation(c.C[3], 0, annotationKinds.FreeText!)),
  ok("P=3: Stamp with an opaque appearance added", (c) => addAnnotation(c.C[3], 1, annotationKinds.Stamp!)),
  ok("P=3: form filled", (c) => fillTextField(c.C[3], "Alice")),
  ok("P=3: another signature (openssl)", (c) => rawSign(c.C[3], c.carol, { field: "Second" })),
  bad("P=3: page content changed", "page 1 content changed", (c) => addContent(c.C[3], 0)),
  bad("P=3: new text field", "added", (c) => addTextField(c.C[3])),
  ok("Signet P=2: Bob's Signet signature", (c) => signetSign(c.S2, c.bob)),
  ok("Signet P=2: form filled", (c) => fillTextField(c.S2, "Bob")),
  bad("Signet P=2: Link added", "annotation Link", (c) => addAnnotation(c.S2, 0, annotationKinds.Link!)),
  bad("certification after an approval signature", "a certification signature must be the first", (c) => rawSign(c.A, c.carol, { field: "Late certification", certify: 2 }), "invalid"),
]

const validCases: Array<Case> = [
  ok("Signet: one signature", (c) => c.A, "unchanged"),
  ok("Signet: two signatures", (c) => c.A2),
  ok("Signet: three signatures with a cross-page seal", (c) =>
    signetSign(c.A2, c.alice, { crossPageSeal: { image: c.seal, width: 80, height: 80, y: 300 }, fieldName: "Alice seal" })),
  ok("Signet: xref-stream file, one signature", (c) => c.X, "unchanged"),
  ok("Signet: xref-stream file, two signatures", (c) => signetSign(c.X, c.bob)),
  ok("Signet: linearized file, two signatures", async (c) => signetSign(await signetSign(await linearizedPdf(3), c.alice), c.bob)),
  ok("Signet: a file with an unsigned update before signing", async (c) => signetSign(await updatedPdf(), c.alice), "unchanged"),
  ok("openssl co-signature in a raw update", (c) => rawSign(c.A, c.carol, { field: "Carol" })),
  ok("@signpdf signature, then Signet's", async (c) => {
    const first = await signpdfCoSign(await classicPdf(2))
    return { pdf: await signetSign(first.pdf, c.alice), trust: [first.rootDer] }
  }),
  ok("@signpdf signature, Signet's, then an openssl co-signature", async (c) => {
    const first = await signpdfCoSign(await classicPdf(1))
    return { pdf: rawSign(await signetSign(first.pdf, c.bob), c.carol, { field: "Carol" }), trust: [first.rootDer] }
  }),
  ok("Signet: RSA-PSS signature after an ECDSA one", async (c) => signetSign(c.A, await testSigner(c.ca, "rsa-pss"))),
  ok("openssl signature, then Signet's", (c) => signetSign(rawSign(c.A, c.carol, { field: "Carol" }), c.bob)),
  ok("whitespace after %%EOF", (c) => join2(c.A, latin("\r\n  \n")), "unchanged"),
  ok("another tool rewrites the catalog with keys reordered", (c) => rewrite(c.A2, catalog(c.A2).num, reorderKeys)),
  ok("another tool rewrites page 1 with keys reordered and /Resources made indirect", (c) => {
    const p = body(c.A, page1(c.A))
    const res = fresh(c.A)()
    return appendUpdate(c.A, [{ num: res, body: dictValue(p, "Resources") ?? "<< >>" }, { num: page1(c.A), body: reorderKeys(dictSet(p, { Resources: `${res} 0 R` })) }])
  }),
  ok("another tool re-encodes page 1's content stream (same decoded bytes, new object)", async (c) => {
    const p = body(c.A, page1(c.A))
    const contentNum = refNum(/(\d+\s+0\s+R)/.exec(dictValue(p, "Contents") ?? "")?.[1] ?? "")
    const stream = body(c.A, contentNum)
    const { deflateSync, inflateSync } = await import("node:zlib")
    const raw = Buffer.from(stream.slice(stream.indexOf("stream") + 6).replace(/^\r?\n/, "").replace(/\r?\nendstream$/, ""), "latin1")
    const decoded = /\/FlateDecode/.test(stream) ? inflateSync(raw) : raw
    const recoded = deflateSync(decoded, { level: 1 }).toString("latin1")
    const n = fresh(c.A)()
    return appendUpdate(c.A, [
      { num: n, body: `<< /Filter /FlateDecode /Length ${recoded.length} >>\nstream\n${recoded}\nendstream` },
      { num: page1(c.A), body: dictSet(p, { Contents: dictValue(p, "Contents")!.replace(/\d+\s+0\s+R/, `${n} 0 R`) }) },
    ])
  }),
  ok("/Info updated", (c) => {
    const info = tailOf(c.A).info
    const n = info ? refNum(info) : fresh(c.A)()
    return appendUpdate(c.A, [{ num: n, body: "<< /Producer (another tool) /Title (renamed) >>" }])
  }),
  ok("DSS added", (c) => rewrite(c.A, catalog(c.A).num, (b) => dictSet(b, { DSS: "<< /Certs [] /OCSPs [] /CRLs [] >>" }))),
  ok("XMP metadata added", (c) => {
    const n = fresh(c.A)()
    return appendUpdate(c.A, [
      { num: n, body: streamBody("/Type /Metadata /Subtype /XML", "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>") },
      { num: catalog(c.A).num, body: dictSet(catalog(c.A).body, { Metadata: `${n} 0 R` }) },
    ])
  }),
]

const byteRangeCases: Array<Case> = [
  bad("a signature whose ByteRange ranges overlap (Alice's CMS in a new field)", "overlapping or out of order", (c) => {
    const sig = body(c.A, refNum(dictValue(body(c.A, sigFieldNum(c.A)), "V") ?? ""))
    const next = fresh(c.A)
    const copy = next(), w = next()
    const form = acroForm(c.A)
    return appendUpdate(c.A, [
      { num: copy, body: dictSet(sig, { ByteRange: "[0 5000 4000 100]", Contents: "<3000>" }) },
      { num: w, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Overlap) /V ${copy} 0 R /F 132 /P ${page1(c.A)} 0 R /Rect [0 0 0 0] >>` },
      { num: page1(c.A), body: arrayPush(body(c.A, page1(c.A)), "Annots", `${w} 0 R`) },
      { num: form.num, body: arrayPush(form.body, "Fields", `${w} 0 R`) },
    ])
  }, "invalid", "invalid"),
  bad("an empty signature field (added before signing) filled after with a copy of Alice's signature", "not made for this revision", async (c) => {
    const { empty, w } = await withEmptySignatureField()
    const signed = await signetSign(empty, c.alice)
    const aliceSig = dictValue(body(signed, sigFieldNum(signed, 1)), "V") ?? ""
    return rewrite(signed, w, (b) => dictSet(b, { V: aliceSig }))
  }),
  ok("an empty signature field (added before signing) signed later by openssl", async (c) => {
    const { empty, w } = await withEmptySignatureField()
    return rawSign(await signetSign(empty, c.alice), c.carol, { field: "Empty", fill: w })
  }),
]

const cases = [...annotationCases, ...pageCases, ...forgeryCases, ...shadowCases, ...structureCases, ...docMdpCases, ...validCases, ...byteRangeCases]

describe("attack corpus", () => {
  let ctx: Ctx
  beforeAll(async () => {
    const ca = await openTestCa()
    const s = await makeSigners(ca)
    const A = await signetSign(await classicPdf(2, "The buyer pays 1,000"), s.alice, { visible: { page: 1, rect: { x: 400, y: 60, width: 120, height: 120 }, image: s.seal } })
    const form = await formPdf()
    ctx = {
      ...s, ca, A,
      A2: await signetSign(A, s.bob),
      X: await signetSign(await objectStreamPdf(2), s.alice),
      F: await signetSign(form, s.alice),
      C: { 1: rawSign(form, s.carol, { field: "Cert", certify: 1 }), 2: rawSign(form, s.carol, { field: "Cert", certify: 2 }), 3: rawSign(form, s.carol, { field: "Cert", certify: 3 }) },
      S2: await signetSign(form, s.alice, { certify: true }),
    }
  }, 120_000)

  it("has at least 60 cases", () => expect(cases.length).toBeGreaterThanOrEqual(60))

  it.each(cases)("$name → $verdict", async (k) => {
    const built = await k.build(ctx)
    const { pdf, trust } = built instanceof Uint8Array ? { pdf: built, trust: [] } : built
    const report = await runSigning(verifyPdf(pdf, { trust: [ctx.ca.rootDer, ...trust] }))
    const changes = [
      ...report.revisions.flatMap((r) => r.changes.filter((c) => !c.allowed).map((c) => c.en)),
      ...report.signatures.flatMap((s) => Object.values(s.checks).flatMap((c) => (c && !c.ok ? [c.detail] : []))),
      ...report.signatures.flatMap((s) => s.alsoIn.map((f) => `${s.field} also in ${f}`)),
      ...report.removedSignatures.map((x) => `signature ${x.field} removed`),
    ]
    const why = JSON.stringify({ verdict: report.verdict, revisions: report.revisions, signatures: report.signatures.map((s) => ({ field: s.field, checks: s.checks })) }, null, 1)
    expect(report.verdict, why).toBe(k.verdict)
    if (k.mentions) expect(changes.join("\n"), why).toContain(k.mentions)
    if (process.env.CORPUS_DEBUG) console.log(k.name, why)
    if (process.env.CORPUS_DIR) writeFileSync(join(process.env.CORPUS_DIR, `${k.name.replace(/\W+/g, "-")}.pdf`), pdf)
  })

  // pdfsig checks each signature's bytes only (no change analysis): a "modified" file still has valid signatures there.
  it.skipIf(!hasPdfsig).each(cases)("pdfsig agrees on the signatures of: $name", async (k) => {
    const built = await k.build(ctx)
    const pdf = built instanceof Uint8Array ? built : built.pdf
    const file = join(tempDir("signet-corpus-"), "case.pdf")
    writeFileSync(file, pdf)
    const sig = pdfsig(file)
    if (k.pdfsig === "none") return expect(sig.blocks, sig.raw).toEqual([])
    expect(sig.blocks.length, sig.raw).toBeGreaterThan(0)
    expect(sig.blocks.every((b) => b.valid), sig.raw).toBe(k.pdfsig === "valid")
  })
})
