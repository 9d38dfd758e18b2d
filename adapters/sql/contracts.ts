import { randomUUID } from "node:crypto"
import { Effect, Layer, Option, Schema } from "effect"
import { Contract, ContractHistoryEntry, SignField } from "../../core/contracts/Contract.ts"
import { ContractRepository, LIST_TOTAL_CAP, type ContractBranch, type EnterpriseRef, type ListCursor } from "../../core/ports/ContractRepository.ts"
import { atomicallyOn, compiledOnce, compiledUpdate, Database, decodeRow, queryOn } from "./Database.ts"
import type { ContractOrgsTable, ContractPartiesTable, ContractsTable, ContractViewersTable, DB } from "./schema.ts"
import type { ExpressionBuilder, Kysely } from "kysely"

const decode = decodeRow(Contract, "contracts")
const decodeHistory = decodeRow(ContractHistoryEntry, "contract_history")
const FieldsJson = Schema.fromJsonString(Schema.Array(SignField))

const header = (c: Contract) => ({
  name: c.name, initiator_user_id: c.initiatorUserId, initiator_org_name: c.initiatorOrgName ?? null,
  initiator_enterprise_id: c.initiatorEnterpriseId ?? null, initiator_branch_id: c.initiatorBranchId ?? null, mode: c.mode, deadline: c.deadline, status: c.status,
  fields_json: Schema.encodeSync(FieldsJson)(c.fields), document_sha256: c.documentSha256, document_version: c.documentVersion,
  created_at: c.createdAt, sent_at: c.sentAt, ended_at: c.endedAt, rejection_reason: c.rejectionReason, revision: c.revision,
})

const partyRow = (c: Contract, p: Contract["parties"][number]): ContractPartiesTable => ({
  contract_id: c.id, party_index: p.index, name: p.name, mobile: p.mobile, status: p.status,
  acted_at: p.actedAt, last_reminded_at: p.lastRemindedAt, viewed_at: p.viewedAt,
  enterprise_id: p.enterpriseId ?? null, branch_id: p.branchId ?? null, branch_name: p.branchName ?? null, signer_user_id: p.signerUserId ?? null,
})

/** C10 list rows (migration 0015): the branches the core names (`contractBranches`), with the contract's list columns. */
const orgRows = (c: Contract, branches: ReadonlyArray<ContractBranch>): Array<ContractOrgsTable> => {
  const searchText = [c.name, c.initiatorOrgName ?? "", ...c.parties.map((p) => p.name)].join("\n")
  return branches.map((b) => ({
    enterprise_id: b.enterpriseId, contract_id: c.id, branch_id: b.branchId, is_primary: b.primary ? 1 : 0,
    status: c.status, created_at: c.createdAt, initiator_user_id: c.initiatorUserId, search_text: searchText,
  }))
}

/**
 * 我的签约 index rows (migration 0026): the initiator's (`u:`, drafts included) and, once sent, one per mobile that
 * is a party as a person (`m:`; an enterprise party's mobile is only whom it is texted to).
 */
const viewerRows = (c: Contract): Array<ContractViewersTable> => {
  const row = (viewer: string, enterprise: string | null): ContractViewersTable =>
    ({ viewer, contract_id: c.id, created_at: c.createdAt, status: c.status, initiator_enterprise_id: enterprise })
  const people = c.status === "draft" ? [] : [...new Set(c.parties.filter((p) => p.enterpriseId === undefined).map((p) => p.mobile))]
  return [row(`u:${c.initiatorUserId}`, c.initiatorEnterpriseId ?? null), ...people.map((m) => row(`m:${m}`, null))]
}

/**
 * Newer-first keyset condition: strictly after `after` in (created, id) descending order. The `created <=` conjunct
 * is what lets SQLite and Postgres start the index range there (an OR alone is a filter over the whole key).
 */
const afterCursor = (created: "v.created_at" | "co.created_at" | "contracts.created_at", id: "v.contract_id" | "co.contract_id" | "contracts.id", after: ListCursor) =>
  (eb: ExpressionBuilder<any, any>) =>
    eb.and([eb(created, "<=", after.createdAt), eb.or([eb(created, "<", after.createdAt), eb(id, "<", after.id)])])

/** The optional keys of a row: absent when the column is null. */
const present = <K extends string>(key: K, value: string | null) => (value === null ? {} : { [key]: value } as Record<K, string>)

const toContract = (row: ContractsTable, parties: ReadonlyArray<ContractPartiesTable>) =>
  decode({
    id: row.id, name: row.name, initiatorUserId: row.initiator_user_id, ...present("initiatorOrgName", row.initiator_org_name),
    ...present("initiatorEnterpriseId", row.initiator_enterprise_id), ...present("initiatorBranchId", row.initiator_branch_id), mode: row.mode, deadline: row.deadline, status: row.status,
    fields: JSON.parse(row.fields_json), documentSha256: row.document_sha256, documentVersion: row.document_version,
    createdAt: row.created_at, sentAt: row.sent_at, endedAt: row.ended_at, rejectionReason: row.rejection_reason, revision: row.revision,
    parties: parties.filter((p) => p.contract_id === row.id).sort((a, b) => a.party_index - b.party_index).map((p) => ({
      index: p.party_index, name: p.name, mobile: p.mobile, status: p.status, actedAt: p.acted_at, lastRemindedAt: p.last_reminded_at, viewedAt: p.viewed_at,
      ...present("enterpriseId", p.enterprise_id), ...present("branchId", p.branch_id), ...present("branchName", p.branch_name), ...present("signerUserId", p.signer_user_id),
    })),
  })

/** Loads contracts with their parties in two queries. */
const withParties = async (db: Kysely<DB>, rows: ReadonlyArray<ContractsTable>) => {
  if (rows.length === 0) return { rows, parties: [] as Array<ContractPartiesTable> }
  const parties = await db.selectFrom("contract_parties").selectAll().where("contract_id", "in", rows.map((r) => r.id)).execute()
  return { rows, parties }
}

const enterpriseRef = (r: { id: string; name: string; credit_code: string; admin_user_id: string }): EnterpriseRef =>
  ({ id: r.id, name: r.name, creditCode: r.credit_code, adminUserId: r.admin_user_id })

/** Every status but draft: what a list shows unless asked for drafts. */
const SENT: ReadonlyArray<Contract["status"]> = ["inProgress", "completed", "rejected", "revoked", "expired"]

/** A LIKE pattern for user text (wildcards typed by the user are dropped), or null for no search. */
const likePattern = (search: string | undefined) => {
  const text = (search ?? "").replace(/[%_\\]/g, "").trim()
  return text === "" ? null : { text, pattern: `%${text}%` }
}

/** C7 search: name, number, sending enterprise, or the sender's name or mobile (one primary-key probe per candidate). */
const searched = (like: { readonly text: string; readonly pattern: string }) => (eb: ExpressionBuilder<DB, "contracts">) =>
  eb.or([
    eb("contracts.name", "like", like.pattern),
    eb("contracts.id", "=", like.text),
    eb("contracts.initiator_org_name", "like", like.pattern),
    eb.exists(eb.selectFrom("users").select("users.id").whereRef("users.id", "=", "contracts.initiator_user_id")
      .where((u) => u.or([u("users.name", "like", like.pattern), u("users.mobile", "like", like.pattern)]))),
  ])

/** `in` needs at least one value: an empty set matches nothing. */
const nonEmpty = (values: ReadonlyArray<string>): ReadonlyArray<string> => (values.length > 0 ? values : ["-"])

// History entries sort by time, then by the order this process wrote them.
let historySequence = 0

export const layerContractRepository = Layer.effect(
  ContractRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    const atomically = atomicallyOn(db)
    const load = (operation: string, run: (db: Kysely<DB>) => Promise<ReadonlyArray<ContractsTable>>) =>
      q(operation, async (d) => withParties(d, await run(d))).pipe(
        Effect.flatMap(({ rows, parties }) => Effect.forEach(rows, (r) => toContract(r, parties))),
      )
    // Every act on a contract loads it and writes it back: these statements are built and compiled once.
    const byId = compiledOnce(db, (d, id: string) => d.selectFrom("contracts").selectAll().where("id", "=", id))
    const partiesOf = compiledOnce(db, (d, id: string) => d.selectFrom("contract_parties").selectAll().where("contract_id", "=", id))
    const addVersion = compiledOnce(db, (d, contractId: string, version: number, sha256: string, at: number) =>
      d.insertInto("contract_versions").values({ contract_id: contractId, version, sha256, at }))
    const updateContract = compiledUpdate(db, "contracts", ["id", "revision"])
    const updateParty = compiledUpdate(db, "contract_parties", ["contract_id", "party_index"])
    const addHistory = compiledOnce(db, (d, contractId: string, seq: string, at: number, actorUserId: string | null, action: string, detail: string) =>
      d.insertInto("contract_history").values({ contract_id: contractId, seq, at, actor_user_id: actorUserId, action, detail }))
    return {
      insert: (c, branches) =>
        atomically("contracts.insert", async (t) => {
          await t.insertInto("contracts").values({ id: c.id, ...header(c) }).execute()
          if (c.parties.length > 0) await t.insertInto("contract_parties").values(c.parties.map((p) => partyRow(c, p))).execute()
          const orgs = orgRows(c, branches)
          if (orgs.length > 0) await t.insertInto("contract_orgs").values(orgs).execute()
          await t.insertInto("contract_viewers").values(viewerRows(c)).execute()
        }),
      find: (id) =>
        q("contracts.find", async (d) => {
          const row = (await d.executeQuery(byId(id))).rows[0]
          return row === undefined ? undefined : { row, parties: (await d.executeQuery(partiesOf(id))).rows }
        }).pipe(
          Effect.flatMap((found) => found === undefined ? Effect.succeedNone : Effect.map(toContract(found.row, found.parties), Option.some)),
        ),
      findMany: (ids) =>
        ids.length === 0
          ? Effect.succeed([])
          : load("contracts.findMany", (d) => d.selectFrom("contracts").selectAll().where("id", "in", [...ids]).execute()).pipe(
            Effect.map((cs) => {
              const byId = new Map(cs.map((c) => [c.id as string, c]))
              return ids.flatMap((id) => byId.get(id) ?? [])
            }),
          ),
      save: (c, branches, previous) =>
        atomically("contracts.save", async (t) => {
          const r = await t.executeQuery(updateContract(header(c), c.id, c.revision - 1))
          if (Number(r.numAffectedRows) !== 1) return false
          // What the revision read had (the write above proves it is still what is stored): unchanged rows stay as they are.
          const before = previous !== undefined && previous.id === c.id && previous.revision === c.revision - 1 ? previous : undefined
          const same = <A>(rows: (x: Contract) => A) => before !== undefined && JSON.stringify(rows(before)) === JSON.stringify(rows(c))
          // The enterprise list rows follow the contract (status, and parties while it is a draft).
          const orgs = orgRows(c, branches)
          if (c.status === "draft" || !same((x) => orgRows(x, branches))) {
            await t.deleteFrom("contract_orgs").where("contract_id", "=", c.id).execute()
            if (orgs.length > 0) await t.insertInto("contract_orgs").values(orgs).execute()
          }
          if (c.status === "draft") {
            // A draft's party list may grow or shrink: write it anew (its only list row is its initiator's).
            await t.deleteFrom("contract_viewers").where("contract_id", "=", c.id).execute()
            await t.insertInto("contract_viewers").values(viewerRows(c)).execute()
            await t.deleteFrom("contract_parties").where("contract_id", "=", c.id).execute()
            if (c.parties.length > 0) await t.insertInto("contract_parties").values(c.parties.map((p) => partyRow(c, p))).execute()
            return true
          }
          // Sent: the parties' rows appear (at sending) or take the new status, in one statement.
          if (!same(viewerRows)) {
            await t.insertInto("contract_viewers").values(viewerRows(c))
              .onConflict((oc) => oc.columns(["viewer", "contract_id"]).doUpdateSet((eb) => ({ status: eb.ref("excluded.status") }))).execute()
          }
          for (const p of c.parties) {
            const { contract_id: _c, party_index: _i, ...rest } = partyRow(c, p)
            const was = before?.parties[p.index]
            if (was !== undefined && JSON.stringify(partyRow(before!, was)) === JSON.stringify(partyRow(c, p))) continue
            await t.executeQuery(updateParty(rest, c.id, p.index))
          }
          return true
        }),
      removeDraft: (id) =>
        atomically("contracts.removeDraft", async (t) => {
          // Claims the row first (a write lock on Postgres): a send racing this waits, then finds nothing to update.
          const claimed = await t.updateTable("contracts").set((eb) => ({ revision: eb("revision", "+", 1) })).where("id", "=", id).where("status", "=", "draft").executeTakeFirst()
          if (Number(claimed.numUpdatedRows) !== 1) return false
          for (const table of ["contract_parties", "contract_versions", "contract_history", "contract_orgs", "contract_viewers"] as const) {
            await t.deleteFrom(table).where("contract_id", "=", id).execute()
          }
          const r = await t.deleteFrom("contracts").where("id", "=", id).where("status", "=", "draft").executeTakeFirst()
          return Number(r.numDeletedRows) === 1
        }),
      list: (query) =>
        Effect.gen(function*() {
          const statuses = query.status !== undefined && query.status.length > 0 ? query.status : SENT
          // A draft is its initiator's alone: never listed to its parties.
          const partyStatuses = statuses.filter((s) => s !== "draft")
          const acting = query.actingFor
          // The contracts where this mobile's party may sign now (C7 需要我操作的).
          const needsMe = (d: Kysely<DB>) => d.selectFrom("contract_parties as cp").innerJoin("contracts as c", "c.id", "cp.contract_id")
            .select("cp.contract_id as id")
            .where("cp.mobile", "=", query.mobile).where("cp.enterprise_id", "is", null).where("cp.status", "=", "waiting").where("c.status", "=", "inProgress")
            .where((eb) => eb.or([
              eb("c.mode", "=", "simultaneous"),
              eb.not(eb.exists(eb.selectFrom("contract_parties as ahead").select("ahead.party_index")
                .whereRef("ahead.contract_id", "=", "cp.contract_id").whereRef("ahead.party_index", "<", "cp.party_index")
                .where("ahead.status", "=", "waiting"))),
            ]))
          const like = likePattern(query.search)
          /**
           * One key's rows of the list index (migration 0026) in creation order: the user's own (`u:`) or their
           * mobile's (`m:`). Filters on the contract itself (search, deadline) probe it by primary key per row.
           */
          /** The acting-for filter on an initiator's row (`u:`): contracts of no enterprise or of one they act for now. */
          const actingOn = (row: "v" | "w") => (eb: ExpressionBuilder<any, any>) =>
            eb.or([eb(`${row}.initiator_enterprise_id`, "is", null), ...(acting !== undefined && acting.length > 0 ? [eb(`${row}.initiator_enterprise_id`, "in", acting)] : [])])
          const arm = (d: Kysely<DB>, viewer: string, sts: ReadonlyArray<string>, initiated: boolean, paging: boolean) => {
            let sel = d.selectFrom("contract_viewers as v").select(["v.contract_id", "v.created_at"]).where("v.viewer", "=", viewer)
            // Every sent status (the default): no condition a status index could take for a range (a party's rows are
            // all sent; the initiator's drafts are left out); otherwise the statuses asked for (one: contract_viewers_status).
            const everySent = SENT.every((x) => sts.includes(x)) && sts.every((x) => SENT.includes(x as Contract["status"]))
            sel = everySent ? (initiated ? sel.where("v.status", "<>", "draft") : sel) : sel.where("v.status", "in", nonEmpty(sts))
            if (initiated && acting !== undefined) sel = sel.where(actingOn("v"))
            if (!initiated) {
              // A contract the user initiated and is a party of is listed by its initiator's row: the party's row is
              // skipped by one primary-key probe (every other condition is the contract's own, so it holds for both rows
              // alike), and the two keys' rows add up without a UNION sorting them (issue 23: the UNION of 10,000 + rows
              // in temporary B-trees was most of a page's cost).
              sel = sel.where((eb) => eb.not(eb.exists(eb.selectFrom("contract_viewers as w").select("w.contract_id")
                .where("w.viewer", "=", `u:${query.userId}`).whereRef("w.contract_id", "=", "v.contract_id")
                .$if(acting !== undefined, (w) => w.where(actingOn("w"))))))
            }
            if (query.createdFrom !== undefined) sel = sel.where("v.created_at", ">=", query.createdFrom)
            if (query.createdBefore !== undefined) sel = sel.where("v.created_at", "<", query.createdBefore)
            if (paging && query.after !== undefined) sel = sel.where(afterCursor("v.created_at", "v.contract_id", query.after))
            if (query.tab === "waitingOthers") sel = sel.where("v.contract_id", "not in", needsMe(d))
            const soon = query.tab === "expiringSoon" ? query.soonBefore ?? Number.MAX_SAFE_INTEGER : null
            if (soon !== null || like !== null) {
              sel = sel.where((eb) => eb.exists(eb.selectFrom("contracts").select("contracts.id").whereRef("contracts.id", "=", "v.contract_id")
                .$if(soon !== null, (q) => q.where("contracts.deadline", "<", soon!))
                .$if(like !== null, (q) => q.where(searched(like!)))))
            }
            return sel
          }
          /** The keys this list reads: the user's own contracts, and (unless drafts) their mobile's. */
          const arms = (d: Kysely<DB>, paging: boolean) =>
            query.tab === "drafts"
              ? [arm(d, `u:${query.userId}`, ["draft"], true, paging)]
              : [arm(d, `u:${query.userId}`, statuses, true, paging), ...(partyStatuses.length > 0 ? [arm(d, `m:${query.mobile}`, partyStatuses, false, paging)] : [])]
          /** Each key's first `n` rows from the cursor in list order, merged (the keys hold no contract twice). */
          const merged = (d: Kysely<DB>, n: number) => {
            const [first, ...rest] = arms(d, true).map((a, i) =>
              d.selectFrom(a.orderBy("v.created_at", "desc").orderBy("v.contract_id", "desc").limit(n).as(`a${i}`))
                .select([`a${i}.contract_id as contract_id`, `a${i}.created_at as created_at`]))
            return rest.reduce((u, a) => u.unionAll(a), first!)
          }
          if (query.tab === "needsMe") {
            // Few by nature (what waits for this person's signature now): read through the parties.
            const mine = (d: Kysely<DB>, paging: boolean) => {
              let sel = d.selectFrom("contracts").where("id", "in", needsMe(d))
              if (like !== null) sel = sel.where(searched(like))
              if (query.createdFrom !== undefined) sel = sel.where("created_at", ">=", query.createdFrom)
              if (query.createdBefore !== undefined) sel = sel.where("created_at", "<", query.createdBefore)
              if (paging && query.after !== undefined) sel = sel.where(afterCursor("contracts.created_at", "contracts.id", query.after))
              return sel
            }
            const total = yield* q("contracts.count", (d) => mine(d, false).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow())
            const items = yield* load("contracts.list", (d) => mine(d, true).selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(query.limit).offset(query.offset).execute())
            return { items, total: Math.min(Number(total.n), LIST_TOTAL_CAP) }
          }
          // Counted up to the cap, key by key (each an index range read in place): reading past it would make the count
          // grow with the history.
          const total = yield* q("contracts.count", async (d) => {
            let n = 0
            for (const a of arms(d, false)) {
              // A key at the cap settles the total: the next one is not read.
              if (n >= LIST_TOTAL_CAP) break
              const r = await d.selectFrom(a.limit(LIST_TOTAL_CAP - n).as("t")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()
              n += Number(r.n)
            }
            return { n }
          })
          const page = yield* q("contracts.page", (d) =>
            merged(d, query.offset + query.limit).orderBy("created_at", "desc").orderBy("contract_id", "desc").limit(query.limit).offset(query.offset).execute())
          const ids = page.map((r) => r.contract_id)
          const found = ids.length === 0 ? [] : yield* load("contracts.list", (d) => d.selectFrom("contracts").selectAll().where("id", "in", ids).execute())
          const byId = new Map(found.map((c) => [c.id as string, c]))
          return { items: ids.flatMap((id) => byId.get(id) ?? []), total: Math.min(Number(total.n), LIST_TOTAL_CAP) }
        }),
      listForEnterprise: (query) =>
        Effect.gen(function*() {
          const everyBranch = query.branchIds === undefined
          const base = (d: Kysely<DB>) => {
            // One index read in creation order (contract_orgs, migration 0015): the head office counts each
            // contract once by its primary row; a branch view reads its branches' rows (a contract on two of
            // them is grouped into one).
            let sel = d.selectFrom("contract_orgs as co").where("co.enterprise_id", "=", query.enterpriseId)
            sel = everyBranch ? sel.where("co.is_primary", "=", 1) : sel.where("co.branch_id", "in", nonEmpty(query.branchIds ?? []))
            // Drafts have no rows: no status filter means every sent contract.
            if (query.status !== undefined && query.status.length > 0) sel = sel.where("co.status", "in", nonEmpty(query.status.filter((s) => s !== "draft")))
            const other = query.counterpartEnterpriseId
            if (other !== undefined) {
              sel = sel.where((eb) => eb.exists(eb.selectFrom("contract_orgs as cp").select("cp.contract_id")
                .where("cp.enterprise_id", "=", other).whereRef("cp.contract_id", "=", "co.contract_id")))
            }
            if (query.initiatorUserId !== undefined) sel = sel.where("co.initiator_user_id", "=", query.initiatorUserId)
            if (query.createdFrom !== undefined) sel = sel.where("co.created_at", ">=", query.createdFrom)
            if (query.createdBefore !== undefined) sel = sel.where("co.created_at", "<", query.createdBefore)
            const like = likePattern(query.search)
            if (like !== null) {
              // Its number, or its name, sending enterprise or a party's name (P3 服务商名称), read from the same index.
              sel = sel.where((eb) => eb.or([eb("co.contract_id", "=", like.text), eb("co.search_text", "like", like.pattern)]))
            }
            return sel
          }
          // Counted up to the cap (issue 23): an enterprise with a million contracts reads 10,000 index entries, not all.
          const total = yield* q("contracts.enterpriseCount", (d) =>
            d.selectFrom((everyBranch
              ? base(d).select("co.contract_id")
              : base(d).select("co.contract_id").distinct()).limit(LIST_TOTAL_CAP).as("t")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow())
          const page = yield* q("contracts.enterprisePage", (d) => {
            const after = query.after
            const sel = (after === undefined ? base(d) : base(d).where(afterCursor("co.created_at", "co.contract_id", after))).select(["co.contract_id", "co.created_at"])
            return (everyBranch ? sel : sel.groupBy(["co.contract_id", "co.created_at"]))
              .orderBy("co.created_at", "desc").orderBy("co.contract_id", "desc").limit(query.limit).offset(query.offset).execute()
          })
          const ids = page.map((r) => r.contract_id)
          const found = ids.length === 0 ? [] : yield* load("contracts.enterpriseList", (d) => d.selectFrom("contracts").selectAll().where("id", "in", ids).execute())
          const byId = new Map(found.map((c) => [c.id as string, c]))
          return { items: ids.flatMap((id) => byId.get(id) ?? []), total: Math.min(Number(total.n), LIST_TOTAL_CAP) }
        }),
      initiatorsOf: (enterpriseId, limit) =>
        q("contracts.initiatorsOf", (d) =>
          d.selectFrom("contracts").select("initiator_user_id").distinct().where("initiator_enterprise_id", "=", enterpriseId).limit(limit).execute()).pipe(
          Effect.map((rows) => rows.map((r) => r.initiator_user_id)),
        ),
      enterprisesNamed: (name) =>
        q("contracts.enterprisesNamed", (d) => d.selectFrom("enterprises").select(["id", "name", "credit_code", "admin_user_id"]).where("name", "=", name).orderBy("created_at").orderBy("id").execute()).pipe(
          Effect.map((rows) => rows.map(enterpriseRef)),
        ),
      enterpriseRef: (id) =>
        q("contracts.enterpriseRef", (d) => d.selectFrom("enterprises").select(["id", "name", "credit_code", "admin_user_id"]).where("id", "=", id).executeTakeFirst()).pipe(
          Effect.map((row) => Option.map(Option.fromNullishOr(row), enterpriseRef)),
        ),
      dueForExpiry: (now, limit) =>
        load("contracts.dueForExpiry", (d) =>
          d.selectFrom("contracts").selectAll().where("status", "=", "inProgress").where("deadline", "<=", now).orderBy("deadline").limit(limit).execute()),
      completedAfter: (after, limit) =>
        load("contracts.completedAfter", (d) => {
          // Numbers are 19 digits: their text order is their numeric order on both dialects.
          const base = d.selectFrom("contracts").selectAll().where("status", "=", "completed")
          return (after === undefined ? base : base.where("id", ">", after)).orderBy("id").limit(limit).execute()
        }),
      addVersion: (contractId, version, sha256, at) =>
        q("contracts.addVersion", (d) => d.executeQuery(addVersion(contractId, version, sha256, at))).pipe(Effect.asVoid),
      versions: (contractId) =>
        q("contracts.versions", (d) => d.selectFrom("contract_versions").selectAll().where("contract_id", "=", contractId).orderBy("version").execute()).pipe(
          Effect.map((rows) => rows.map((r) => ({ version: r.version, sha256: r.sha256, at: r.at }))),
        ),
      addHistory: (e) =>
        q("contracts.addHistory", (d) =>
          d.executeQuery(addHistory(
            e.contractId, `${String(e.at).padStart(15, "0")}-${String(historySequence++ % 1e9).padStart(9, "0")}-${randomUUID().slice(0, 8)}`, e.at,
            e.actorUserId, e.action, e.detail,
          ))).pipe(Effect.asVoid),
      history: (contractId) =>
        q("contracts.history", (d) => d.selectFrom("contract_history").selectAll().where("contract_id", "=", contractId).orderBy("seq").execute()).pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, (r) => decodeHistory({ contractId: r.contract_id, at: r.at, actorUserId: r.actor_user_id, action: r.action, detail: r.detail }))),
        ),
    }
  }),
)
