/**
 * Chinese text the tiny model's vocabulary is built around: the most frequent characters in modern Chinese,
 * the characters of the hotel-review sentiment task (ChnSentiCorp) and the labels it uses.
 */

/** 370 of the most frequent Chinese characters, in rough frequency order. */
export const commonChineseCharacters =
  "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道" +
  "行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无" +
  "力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等" +
  "产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几" +
  "口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统" +
  "区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死" +
  "张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元";

/** Sample sentences (hotel reviews and a classification instruction); every character in them is one token. */
export const sampleChineseSentences = [
  "这家酒店的服务很好，房间干净，早餐也不错。",
  "房间太小了，隔音很差，前台态度冷淡，非常失望。",
  "位置方便，价格合理，下次还会再来。",
  "请判断下面评论的情感倾向，回答正面或负面。",
  "积极还是消极？中性。",
] as const;

/** Whole words that become single tokens, so that labels exist both as one token and as several. */
export const wholeChineseWords = [
  "正面",
  "负面",
  "酒店",
  "房间",
  "服务",
  "不错",
  "失望",
  "情感",
  "评论",
] as const;

/** Full-width punctuation Chinese text uses; each mark becomes one token. */
export const chinesePunctuation = "，。！？：；、“”‘’（）《》";
