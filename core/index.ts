/**
 * `signet/core`: the pure domain for embedders. Use cases are Effect programs
 * that need the ports in `core/ports` (give them the adapters' layers or your
 * own); state machines are plain functions. Deeper modules are importable as
 * `signet/core/<context>/<module>`.
 */
export * as Ids from "./kernel/Ids.ts"
export { Mobile, maskMobile } from "./kernel/Mobile.ts"
export { NewPassword, PasswordInput } from "./kernel/Password.ts"
export { Forbidden, NotFound, RepositoryError } from "./kernel/errors.ts"
export { nextSnowflake, initialSnowflake, snowflakeTime } from "./kernel/snowflake.ts"

export * from "./accounts/AccountErrors.ts"
export { Address, AddressInput, Session, Staff, User } from "./accounts/User.ts"
export { registerUser, sendRegistrationCode } from "./accounts/registerUser.ts"
export { logIn } from "./accounts/logIn.ts"
export { changePassword } from "./accounts/changePassword.ts"
export { getProfile, updateProfile } from "./accounts/profile.ts"
export { addAddress, deleteAddress, listAddresses, setDefaultAddress, updateAddress } from "./accounts/addressBook.ts"
export { endSession, resolveSession, startSession } from "./accounts/sessions.ts"
export { createStaff, staffLogIn } from "./accounts/staff.ts"

export * from "./otp/OtpErrors.ts"
export { OtpPolicy, OtpPurpose } from "./otp/Otp.ts"
export { sendCode } from "./otp/sendCode.ts"
export { confirmCode } from "./otp/confirmCode.ts"
export { OtpSecret } from "./otp/OtpSecret.ts"

export * as ContractMachine from "./contracts/contractMachine.ts"
export * as Permissions from "./organizations/permissions.ts"
export { generateSeal, sealPdfOperators, sealPng, sealVector } from "./organizations/sealImage.ts"
export { useSeal, useSignature, type ReleasedSeal, type ReleasedSignature, type UseContext } from "./organizations/usage.ts"
export { SealRepository } from "./ports/SealRepository.ts"
export { SealIdentity } from "./ports/SealIdentity.ts"

export { AddressRepository } from "./ports/AddressRepository.ts"
export { Crypto } from "./ports/Crypto.ts"
export { IdGenerator } from "./ports/IdGenerator.ts"
export { OtpRepository } from "./ports/OtpRepository.ts"
export { PasswordHasher } from "./ports/PasswordHasher.ts"
export { SessionRepository } from "./ports/SessionRepository.ts"
export { SmsNotDelivered, SmsSender } from "./ports/SmsSender.ts"
export { UnitOfWork } from "./ports/UnitOfWork.ts"
export { StaffRepository, UserRepository } from "./ports/UserRepository.ts"
export { KeyStore } from "./ports/KeyStore.ts"
export type { Signer, SignatureAlgorithm } from "./ports/Signer.ts"
export { Tsa } from "./ports/Tsa.ts"

export { signPdf, type SignedPdf, type SignPdfOptions } from "./signing/signPdf.ts"
export { verifyPdf, type SignatureReport, type VerifyReport, type VerifyOptions } from "./signing/verify/verifyPdf.ts"
