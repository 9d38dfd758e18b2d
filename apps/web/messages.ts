/** zh-CN texts for schema message keys (one catalogue for the web app). */
const fields: Record<string, string> = {
  required: "此项为必填项",
  "mobile.invalid": "请输入正确的 11 位手机号码",
  "password.length": "密码长度须为 6-16 位",
  "password.letter": "密码必须包含字母",
  "password.digit": "密码必须包含数字",
  "password.charset": "密码只能由字母、数字和英文符号组成",
  "password.required": "请输入密码",
  "password.confirm": "两次输入的密码不一致",
  "code.format": "验证码为 6 位数字",
  "name.trim": "姓名前后不能有空格",
  "name.length": "姓名长度须为 1-40 个字符",
  "email.invalid": "请输入正确的邮箱地址",
  "recipient.trim": "收货人前后不能有空格",
  "recipient.length": "收货人长度须为 1-30 个字符",
  "region.length": "请填写所在地区（省 市 区）",
  "detail.length": "详细地址长度须为 2-120 个字符",
  "contractName.trim": "合同名称前后不能有空格",
  "contractName.length": "请填写合同名称（不超过 60 个字）",
  "deadline.format": "请选择签约截止日期",
  // The C1 rules of a new contract (core/contracts/NewContract.ts).
  "deadline.past": "签约截止日期必须晚于今天",
  "parties.duplicate": "签署方手机号不能重复",
  "parties.enterpriseDuplicate": "同一企业只能作为一个签署方",
  "document.tooLarge": "文件不能超过 50 MB",
  "expiry.past": "合同过期时间必须晚于今天",
  "document.notPdf": "只支持 PDF 文件（按文件内容识别，不看扩展名）",
  "username.invalid": "用户名为 3-32 位小写字母、数字或 _ . -",
  "branchName.trim": "分公司名称前后不能有空格",
  "branchName.length": "分公司名称为 2-40 个字",
  "department.trim": "部门前后不能有空格",
  "department.length": "部门不超过 30 个字",
  "sealName.trim": "印章名称前后不能有空格",
  "sealName.length": "印章名称为 2-30 个字",
  "datetime.invalid": "请选择正确的日期和时间",
  "cursor.invalid": "翻页位置无效，请从第一页开始",
}

export const fieldMessage = (key: string): string => fields[key] ?? "输入有误，请检查"

/** Translates every message key of a decode failure. */
export const translate = (errors: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, fieldMessage(v)]))
