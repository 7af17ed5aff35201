/**
 * The RFC 3454 (stringprep) tables SASLprep (RFC 4013) uses, for Unicode 3.2 as the RFC
 * requires. Generated, not written: each range list was read off Python's `stringprep` module
 * (which is built on `unicodedata.ucd_3_2_0`) by testing every code point, and merged into
 * ranges, e.g. for A.1:
 *
 *   python3 -c "import stringprep; print([c for c in range(0x110000) if stringprep.in_table_a1(chr(c))])"
 *
 * JavaScript regular expressions have no Bidi_Class or Age property, so tables A.1, D.1 and D.2
 * cannot be written as `\p{...}`; the newer Unicode of the runtime would differ anyway.
 */

/**
 * A character class compiled on first use: together the four tables are some 12 KB of pattern,
 * which every `import 'rxldap'` would otherwise compile though only SASLprep reads them.
 */
const lazyClass = (pattern: string): (() => RegExp) => {
  let compiled: RegExp | undefined;
  return () => (compiled ??= new RegExp(pattern, 'u'));
};

/** RFC 4013 §2.3: C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9, one class. */
export const prohibitedOutput = lazyClass(
  '[' +
  '\\u{0}-\\u{1F}\\u{7F}-\\u{A0}\\u{340}\\u{341}\\u{6DD}\\u{70F}\\u{1680}\\u{180E}\\u{2000}-\\u{200F}' +
  '\\u{2028}-\\u{202F}\\u{205F}-\\u{2063}\\u{206A}-\\u{206F}\\u{2FF0}-\\u{2FFB}\\u{3000}' +
  '\\u{D800}-\\u{F8FF}\\u{FDD0}-\\u{FDEF}\\u{FEFF}\\u{FFF9}-\\u{FFFF}\\u{1D173}-\\u{1D17A}' +
  '\\u{1FFFE}\\u{1FFFF}\\u{2FFFE}\\u{2FFFF}\\u{3FFFE}\\u{3FFFF}\\u{4FFFE}\\u{4FFFF}' +
  '\\u{5FFFE}\\u{5FFFF}\\u{6FFFE}\\u{6FFFF}\\u{7FFFE}\\u{7FFFF}\\u{8FFFE}\\u{8FFFF}' +
  '\\u{9FFFE}\\u{9FFFF}\\u{AFFFE}\\u{AFFFF}\\u{BFFFE}\\u{BFFFF}\\u{CFFFE}\\u{CFFFF}' +
  '\\u{DFFFE}\\u{DFFFF}\\u{E0001}\\u{E0020}-\\u{E007F}\\u{EFFFE}-\\u{10FFFF}' +
    ']',
);

/** A.1: code points unassigned in Unicode 3.2 (refused in stored strings, RFC 3454 §7). */
export const unassigned = lazyClass(
  '[' +
  '\\u{221}\\u{234}-\\u{24F}\\u{2AE}\\u{2AF}\\u{2EF}-\\u{2FF}\\u{350}-\\u{35F}\\u{370}-\\u{373}' +
  '\\u{376}-\\u{379}\\u{37B}-\\u{37D}\\u{37F}-\\u{383}\\u{38B}\\u{38D}\\u{3A2}\\u{3CF}\\u{3F7}-\\u{3FF}' +
  '\\u{487}\\u{4CF}\\u{4F6}\\u{4F7}\\u{4FA}-\\u{4FF}\\u{510}-\\u{530}\\u{557}\\u{558}\\u{560}\\u{588}' +
  '\\u{58B}-\\u{590}\\u{5A2}\\u{5BA}\\u{5C5}-\\u{5CF}\\u{5EB}-\\u{5EF}\\u{5F5}-\\u{60B}' +
  '\\u{60D}-\\u{61A}\\u{61C}-\\u{61E}\\u{620}\\u{63B}-\\u{63F}\\u{656}-\\u{65F}\\u{6EE}\\u{6EF}\\u{6FF}' +
  '\\u{70E}\\u{72D}-\\u{72F}\\u{74B}-\\u{77F}\\u{7B2}-\\u{900}\\u{904}\\u{93A}\\u{93B}\\u{94E}\\u{94F}' +
  '\\u{955}-\\u{957}\\u{971}-\\u{980}\\u{984}\\u{98D}\\u{98E}\\u{991}\\u{992}\\u{9A9}\\u{9B1}' +
  '\\u{9B3}-\\u{9B5}\\u{9BA}\\u{9BB}\\u{9BD}\\u{9C5}\\u{9C6}\\u{9C9}\\u{9CA}\\u{9CE}-\\u{9D6}' +
  '\\u{9D8}-\\u{9DB}\\u{9DE}\\u{9E4}\\u{9E5}\\u{9FB}-\\u{A01}\\u{A03}\\u{A04}\\u{A0B}-\\u{A0E}' +
  '\\u{A11}\\u{A12}\\u{A29}\\u{A31}\\u{A34}\\u{A37}\\u{A3A}\\u{A3B}\\u{A3D}\\u{A43}-\\u{A46}' +
  '\\u{A49}\\u{A4A}\\u{A4E}-\\u{A58}\\u{A5D}\\u{A5F}-\\u{A65}\\u{A75}-\\u{A80}\\u{A84}\\u{A8C}\\u{A8E}' +
  '\\u{A92}\\u{AA9}\\u{AB1}\\u{AB4}\\u{ABA}\\u{ABB}\\u{AC6}\\u{ACA}\\u{ACE}\\u{ACF}\\u{AD1}-\\u{ADF}' +
  '\\u{AE1}-\\u{AE5}\\u{AF0}-\\u{B00}\\u{B04}\\u{B0D}\\u{B0E}\\u{B11}\\u{B12}\\u{B29}\\u{B31}' +
  '\\u{B34}\\u{B35}\\u{B3A}\\u{B3B}\\u{B44}-\\u{B46}\\u{B49}\\u{B4A}\\u{B4E}-\\u{B55}\\u{B58}-\\u{B5B}' +
  '\\u{B5E}\\u{B62}-\\u{B65}\\u{B71}-\\u{B81}\\u{B84}\\u{B8B}-\\u{B8D}\\u{B91}\\u{B96}-\\u{B98}\\u{B9B}' +
  '\\u{B9D}\\u{BA0}-\\u{BA2}\\u{BA5}-\\u{BA7}\\u{BAB}-\\u{BAD}\\u{BB6}\\u{BBA}-\\u{BBD}' +
  '\\u{BC3}-\\u{BC5}\\u{BC9}\\u{BCE}-\\u{BD6}\\u{BD8}-\\u{BE6}\\u{BF3}-\\u{C00}\\u{C04}\\u{C0D}\\u{C11}' +
  '\\u{C29}\\u{C34}\\u{C3A}-\\u{C3D}\\u{C45}\\u{C49}\\u{C4E}-\\u{C54}\\u{C57}-\\u{C5F}\\u{C62}-\\u{C65}' +
  '\\u{C70}-\\u{C81}\\u{C84}\\u{C8D}\\u{C91}\\u{CA9}\\u{CB4}\\u{CBA}-\\u{CBD}\\u{CC5}\\u{CC9}' +
  '\\u{CCE}-\\u{CD4}\\u{CD7}-\\u{CDD}\\u{CDF}\\u{CE2}-\\u{CE5}\\u{CF0}-\\u{D01}\\u{D04}\\u{D0D}\\u{D11}' +
  '\\u{D29}\\u{D3A}-\\u{D3D}\\u{D44}\\u{D45}\\u{D49}\\u{D4E}-\\u{D56}\\u{D58}-\\u{D5F}\\u{D62}-\\u{D65}' +
  '\\u{D70}-\\u{D81}\\u{D84}\\u{D97}-\\u{D99}\\u{DB2}\\u{DBC}\\u{DBE}\\u{DBF}\\u{DC7}-\\u{DC9}' +
  '\\u{DCB}-\\u{DCE}\\u{DD5}\\u{DD7}\\u{DE0}-\\u{DF1}\\u{DF5}-\\u{E00}\\u{E3B}-\\u{E3E}' +
  '\\u{E5C}-\\u{E80}\\u{E83}\\u{E85}\\u{E86}\\u{E89}\\u{E8B}\\u{E8C}\\u{E8E}-\\u{E93}\\u{E98}\\u{EA0}' +
  '\\u{EA4}\\u{EA6}\\u{EA8}\\u{EA9}\\u{EAC}\\u{EBA}\\u{EBE}\\u{EBF}\\u{EC5}\\u{EC7}\\u{ECE}\\u{ECF}' +
  '\\u{EDA}\\u{EDB}\\u{EDE}-\\u{EFF}\\u{F48}\\u{F6B}-\\u{F70}\\u{F8C}-\\u{F8F}\\u{F98}\\u{FBD}' +
  '\\u{FCD}\\u{FCE}\\u{FD0}-\\u{FFF}\\u{1022}\\u{1028}\\u{102B}\\u{1033}-\\u{1035}\\u{103A}-\\u{103F}' +
  '\\u{105A}-\\u{109F}\\u{10C6}-\\u{10CF}\\u{10F9}\\u{10FA}\\u{10FC}-\\u{10FF}\\u{115A}-\\u{115E}' +
  '\\u{11A3}-\\u{11A7}\\u{11FA}-\\u{11FF}\\u{1207}\\u{1247}\\u{1249}\\u{124E}\\u{124F}\\u{1257}' +
  '\\u{1259}\\u{125E}\\u{125F}\\u{1287}\\u{1289}\\u{128E}\\u{128F}\\u{12AF}\\u{12B1}\\u{12B6}\\u{12B7}' +
  '\\u{12BF}\\u{12C1}\\u{12C6}\\u{12C7}\\u{12CF}\\u{12D7}\\u{12EF}\\u{130F}\\u{1311}\\u{1316}\\u{1317}' +
  '\\u{131F}\\u{1347}\\u{135B}-\\u{1360}\\u{137D}-\\u{139F}\\u{13F5}-\\u{1400}\\u{1677}-\\u{167F}' +
  '\\u{169D}-\\u{169F}\\u{16F1}-\\u{16FF}\\u{170D}\\u{1715}-\\u{171F}\\u{1737}-\\u{173F}' +
  '\\u{1754}-\\u{175F}\\u{176D}\\u{1771}\\u{1774}-\\u{177F}\\u{17DD}-\\u{17DF}\\u{17EA}-\\u{17FF}' +
  '\\u{180F}\\u{181A}-\\u{181F}\\u{1878}-\\u{187F}\\u{18AA}-\\u{1DFF}\\u{1E9C}-\\u{1E9F}' +
  '\\u{1EFA}-\\u{1EFF}\\u{1F16}\\u{1F17}\\u{1F1E}\\u{1F1F}\\u{1F46}\\u{1F47}\\u{1F4E}\\u{1F4F}' +
  '\\u{1F58}\\u{1F5A}\\u{1F5C}\\u{1F5E}\\u{1F7E}\\u{1F7F}\\u{1FB5}\\u{1FC5}\\u{1FD4}\\u{1FD5}\\u{1FDC}' +
  '\\u{1FF0}\\u{1FF1}\\u{1FF5}\\u{1FFF}\\u{2053}-\\u{2056}\\u{2058}-\\u{205E}\\u{2064}-\\u{2069}' +
  '\\u{2072}\\u{2073}\\u{208F}-\\u{209F}\\u{20B2}-\\u{20CF}\\u{20EB}-\\u{20FF}\\u{213B}\\u{213C}' +
  '\\u{214C}-\\u{2152}\\u{2184}-\\u{218F}\\u{23CF}-\\u{23FF}\\u{2427}-\\u{243F}\\u{244B}-\\u{245F}' +
  '\\u{24FF}\\u{2614}\\u{2615}\\u{2618}\\u{267E}\\u{267F}\\u{268A}-\\u{2700}\\u{2705}' +
  '\\u{270A}\\u{270B}\\u{2728}\\u{274C}\\u{274E}\\u{2753}-\\u{2755}\\u{2757}\\u{275F}\\u{2760}' +
  '\\u{2795}-\\u{2797}\\u{27B0}\\u{27BF}-\\u{27CF}\\u{27EC}-\\u{27EF}\\u{2B00}-\\u{2E7F}\\u{2E9A}' +
  '\\u{2EF4}-\\u{2EFF}\\u{2FD6}-\\u{2FEF}\\u{2FFC}-\\u{2FFF}\\u{3040}\\u{3097}\\u{3098}' +
  '\\u{3100}-\\u{3104}\\u{312D}-\\u{3130}\\u{318F}\\u{31B8}-\\u{31EF}\\u{321D}-\\u{321F}' +
  '\\u{3244}-\\u{3250}\\u{327C}-\\u{327E}\\u{32CC}-\\u{32CF}\\u{32FF}\\u{3377}-\\u{337A}' +
  '\\u{33DE}\\u{33DF}\\u{33FF}\\u{4DB6}-\\u{4DFF}\\u{9FA6}-\\u{9FFF}\\u{A48D}-\\u{A48F}' +
  '\\u{A4C7}-\\u{ABFF}\\u{D7A4}-\\u{D7FF}\\u{FA2E}\\u{FA2F}\\u{FA6B}-\\u{FAFF}\\u{FB07}-\\u{FB12}' +
  '\\u{FB18}-\\u{FB1C}\\u{FB37}\\u{FB3D}\\u{FB3F}\\u{FB42}\\u{FB45}\\u{FBB2}-\\u{FBD2}' +
  '\\u{FD40}-\\u{FD4F}\\u{FD90}\\u{FD91}\\u{FDC8}-\\u{FDCF}\\u{FDFD}-\\u{FDFF}\\u{FE10}-\\u{FE1F}' +
  '\\u{FE24}-\\u{FE2F}\\u{FE47}\\u{FE48}\\u{FE53}\\u{FE67}\\u{FE6C}-\\u{FE6F}\\u{FE75}' +
  '\\u{FEFD}\\u{FEFE}\\u{FF00}\\u{FFBF}-\\u{FFC1}\\u{FFC8}\\u{FFC9}\\u{FFD0}\\u{FFD1}' +
  '\\u{FFD8}\\u{FFD9}\\u{FFDD}-\\u{FFDF}\\u{FFE7}\\u{FFEF}-\\u{FFF8}\\u{10000}-\\u{102FF}\\u{1031F}' +
  '\\u{10324}-\\u{1032F}\\u{1034B}-\\u{103FF}\\u{10426}\\u{10427}\\u{1044E}-\\u{1CFFF}' +
  '\\u{1D0F6}-\\u{1D0FF}\\u{1D127}-\\u{1D129}\\u{1D1DE}-\\u{1D3FF}\\u{1D455}\\u{1D49D}' +
  '\\u{1D4A0}\\u{1D4A1}\\u{1D4A3}\\u{1D4A4}\\u{1D4A7}\\u{1D4A8}\\u{1D4AD}\\u{1D4BA}\\u{1D4BC}' +
  '\\u{1D4C1}\\u{1D4C4}\\u{1D506}\\u{1D50B}\\u{1D50C}\\u{1D515}\\u{1D51D}\\u{1D53A}\\u{1D53F}' +
  '\\u{1D545}\\u{1D547}-\\u{1D549}\\u{1D551}\\u{1D6A4}-\\u{1D6A7}\\u{1D7CA}-\\u{1D7CD}' +
  '\\u{1D800}-\\u{1FFFD}\\u{2A6D7}-\\u{2F7FF}\\u{2FA1E}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}' +
  '\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}' +
  '\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}' +
  '\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E0000}\\u{E0002}-\\u{E001F}\\u{E0080}-\\u{EFFFD}' +
    ']',
);

/** D.1: characters with bidirectional property R or AL. */
export const randAlCat = lazyClass(
  '[' +
  '\\u{5BE}\\u{5C0}\\u{5C3}\\u{5D0}-\\u{5EA}\\u{5F0}-\\u{5F4}\\u{61B}\\u{61F}\\u{621}-\\u{63A}' +
  '\\u{640}-\\u{64A}\\u{66D}-\\u{66F}\\u{671}-\\u{6D5}\\u{6DD}\\u{6E5}\\u{6E6}\\u{6FA}-\\u{6FE}' +
  '\\u{700}-\\u{70D}\\u{710}\\u{712}-\\u{72C}\\u{780}-\\u{7A5}\\u{7B1}\\u{200F}\\u{FB1D}' +
  '\\u{FB1F}-\\u{FB28}\\u{FB2A}-\\u{FB36}\\u{FB38}-\\u{FB3C}\\u{FB3E}\\u{FB40}\\u{FB41}' +
  '\\u{FB43}\\u{FB44}\\u{FB46}-\\u{FBB1}\\u{FBD3}-\\u{FD3D}\\u{FD50}-\\u{FD8F}\\u{FD92}-\\u{FDC7}' +
  '\\u{FDF0}-\\u{FDFC}\\u{FE70}-\\u{FE74}\\u{FE76}-\\u{FEFC}' +
    ']',
);

/** D.2: characters with bidirectional property L. */
export const lCat = lazyClass(
  '[' +
  '\\u{41}-\\u{5A}\\u{61}-\\u{7A}\\u{AA}\\u{B5}\\u{BA}\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{220}' +
  '\\u{222}-\\u{233}\\u{250}-\\u{2AD}\\u{2B0}-\\u{2B8}\\u{2BB}-\\u{2C1}\\u{2D0}\\u{2D1}' +
  '\\u{2E0}-\\u{2E4}\\u{2EE}\\u{37A}\\u{386}\\u{388}-\\u{38A}\\u{38C}\\u{38E}-\\u{3A1}\\u{3A3}-\\u{3CE}' +
  '\\u{3D0}-\\u{3F5}\\u{400}-\\u{482}\\u{48A}-\\u{4CE}\\u{4D0}-\\u{4F5}\\u{4F8}\\u{4F9}' +
  '\\u{500}-\\u{50F}\\u{531}-\\u{556}\\u{559}-\\u{55F}\\u{561}-\\u{587}\\u{589}\\u{903}' +
  '\\u{905}-\\u{939}\\u{93D}-\\u{940}\\u{949}-\\u{94C}\\u{950}\\u{958}-\\u{961}\\u{964}-\\u{970}' +
  '\\u{982}\\u{983}\\u{985}-\\u{98C}\\u{98F}\\u{990}\\u{993}-\\u{9A8}\\u{9AA}-\\u{9B0}\\u{9B2}' +
  '\\u{9B6}-\\u{9B9}\\u{9BE}-\\u{9C0}\\u{9C7}\\u{9C8}\\u{9CB}\\u{9CC}\\u{9D7}\\u{9DC}\\u{9DD}' +
  '\\u{9DF}-\\u{9E1}\\u{9E6}-\\u{9F1}\\u{9F4}-\\u{9FA}\\u{A05}-\\u{A0A}\\u{A0F}\\u{A10}' +
  '\\u{A13}-\\u{A28}\\u{A2A}-\\u{A30}\\u{A32}\\u{A33}\\u{A35}\\u{A36}\\u{A38}\\u{A39}\\u{A3E}-\\u{A40}' +
  '\\u{A59}-\\u{A5C}\\u{A5E}\\u{A66}-\\u{A6F}\\u{A72}-\\u{A74}\\u{A83}\\u{A85}-\\u{A8B}\\u{A8D}' +
  '\\u{A8F}-\\u{A91}\\u{A93}-\\u{AA8}\\u{AAA}-\\u{AB0}\\u{AB2}\\u{AB3}\\u{AB5}-\\u{AB9}' +
  '\\u{ABD}-\\u{AC0}\\u{AC9}\\u{ACB}\\u{ACC}\\u{AD0}\\u{AE0}\\u{AE6}-\\u{AEF}\\u{B02}\\u{B03}' +
  '\\u{B05}-\\u{B0C}\\u{B0F}\\u{B10}\\u{B13}-\\u{B28}\\u{B2A}-\\u{B30}\\u{B32}\\u{B33}\\u{B36}-\\u{B39}' +
  '\\u{B3D}\\u{B3E}\\u{B40}\\u{B47}\\u{B48}\\u{B4B}\\u{B4C}\\u{B57}\\u{B5C}\\u{B5D}\\u{B5F}-\\u{B61}' +
  '\\u{B66}-\\u{B70}\\u{B83}\\u{B85}-\\u{B8A}\\u{B8E}-\\u{B90}\\u{B92}-\\u{B95}\\u{B99}\\u{B9A}\\u{B9C}' +
  '\\u{B9E}\\u{B9F}\\u{BA3}\\u{BA4}\\u{BA8}-\\u{BAA}\\u{BAE}-\\u{BB5}\\u{BB7}-\\u{BB9}\\u{BBE}\\u{BBF}' +
  '\\u{BC1}\\u{BC2}\\u{BC6}-\\u{BC8}\\u{BCA}-\\u{BCC}\\u{BD7}\\u{BE7}-\\u{BF2}\\u{C01}-\\u{C03}' +
  '\\u{C05}-\\u{C0C}\\u{C0E}-\\u{C10}\\u{C12}-\\u{C28}\\u{C2A}-\\u{C33}\\u{C35}-\\u{C39}' +
  '\\u{C41}-\\u{C44}\\u{C60}\\u{C61}\\u{C66}-\\u{C6F}\\u{C82}\\u{C83}\\u{C85}-\\u{C8C}\\u{C8E}-\\u{C90}' +
  '\\u{C92}-\\u{CA8}\\u{CAA}-\\u{CB3}\\u{CB5}-\\u{CB9}\\u{CBE}\\u{CC0}-\\u{CC4}\\u{CC7}\\u{CC8}' +
  '\\u{CCA}\\u{CCB}\\u{CD5}\\u{CD6}\\u{CDE}\\u{CE0}\\u{CE1}\\u{CE6}-\\u{CEF}\\u{D02}\\u{D03}' +
  '\\u{D05}-\\u{D0C}\\u{D0E}-\\u{D10}\\u{D12}-\\u{D28}\\u{D2A}-\\u{D39}\\u{D3E}-\\u{D40}' +
  '\\u{D46}-\\u{D48}\\u{D4A}-\\u{D4C}\\u{D57}\\u{D60}\\u{D61}\\u{D66}-\\u{D6F}\\u{D82}\\u{D83}' +
  '\\u{D85}-\\u{D96}\\u{D9A}-\\u{DB1}\\u{DB3}-\\u{DBB}\\u{DBD}\\u{DC0}-\\u{DC6}\\u{DCF}-\\u{DD1}' +
  '\\u{DD8}-\\u{DDF}\\u{DF2}-\\u{DF4}\\u{E01}-\\u{E30}\\u{E32}\\u{E33}\\u{E40}-\\u{E46}' +
  '\\u{E4F}-\\u{E5B}\\u{E81}\\u{E82}\\u{E84}\\u{E87}\\u{E88}\\u{E8A}\\u{E8D}\\u{E94}-\\u{E97}' +
  '\\u{E99}-\\u{E9F}\\u{EA1}-\\u{EA3}\\u{EA5}\\u{EA7}\\u{EAA}\\u{EAB}\\u{EAD}-\\u{EB0}\\u{EB2}\\u{EB3}' +
  '\\u{EBD}\\u{EC0}-\\u{EC4}\\u{EC6}\\u{ED0}-\\u{ED9}\\u{EDC}\\u{EDD}\\u{F00}-\\u{F17}\\u{F1A}-\\u{F34}' +
  '\\u{F36}\\u{F38}\\u{F3E}-\\u{F47}\\u{F49}-\\u{F6A}\\u{F7F}\\u{F85}\\u{F88}-\\u{F8B}\\u{FBE}-\\u{FC5}' +
  '\\u{FC7}-\\u{FCC}\\u{FCF}\\u{1000}-\\u{1021}\\u{1023}-\\u{1027}\\u{1029}\\u{102A}\\u{102C}\\u{1031}' +
  '\\u{1038}\\u{1040}-\\u{1057}\\u{10A0}-\\u{10C5}\\u{10D0}-\\u{10F8}\\u{10FB}\\u{1100}-\\u{1159}' +
  '\\u{115F}-\\u{11A2}\\u{11A8}-\\u{11F9}\\u{1200}-\\u{1206}\\u{1208}-\\u{1246}\\u{1248}' +
  '\\u{124A}-\\u{124D}\\u{1250}-\\u{1256}\\u{1258}\\u{125A}-\\u{125D}\\u{1260}-\\u{1286}\\u{1288}' +
  '\\u{128A}-\\u{128D}\\u{1290}-\\u{12AE}\\u{12B0}\\u{12B2}-\\u{12B5}\\u{12B8}-\\u{12BE}\\u{12C0}' +
  '\\u{12C2}-\\u{12C5}\\u{12C8}-\\u{12CE}\\u{12D0}-\\u{12D6}\\u{12D8}-\\u{12EE}\\u{12F0}-\\u{130E}' +
  '\\u{1310}\\u{1312}-\\u{1315}\\u{1318}-\\u{131E}\\u{1320}-\\u{1346}\\u{1348}-\\u{135A}' +
  '\\u{1361}-\\u{137C}\\u{13A0}-\\u{13F4}\\u{1401}-\\u{1676}\\u{1681}-\\u{169A}\\u{16A0}-\\u{16F0}' +
  '\\u{1700}-\\u{170C}\\u{170E}-\\u{1711}\\u{1720}-\\u{1731}\\u{1735}\\u{1736}\\u{1740}-\\u{1751}' +
  '\\u{1760}-\\u{176C}\\u{176E}-\\u{1770}\\u{1780}-\\u{17B6}\\u{17BE}-\\u{17C5}\\u{17C7}\\u{17C8}' +
  '\\u{17D4}-\\u{17DA}\\u{17DC}\\u{17E0}-\\u{17E9}\\u{1810}-\\u{1819}\\u{1820}-\\u{1877}' +
  '\\u{1880}-\\u{18A8}\\u{1E00}-\\u{1E9B}\\u{1EA0}-\\u{1EF9}\\u{1F00}-\\u{1F15}\\u{1F18}-\\u{1F1D}' +
  '\\u{1F20}-\\u{1F45}\\u{1F48}-\\u{1F4D}\\u{1F50}-\\u{1F57}\\u{1F59}\\u{1F5B}\\u{1F5D}' +
  '\\u{1F5F}-\\u{1F7D}\\u{1F80}-\\u{1FB4}\\u{1FB6}-\\u{1FBC}\\u{1FBE}\\u{1FC2}-\\u{1FC4}' +
  '\\u{1FC6}-\\u{1FCC}\\u{1FD0}-\\u{1FD3}\\u{1FD6}-\\u{1FDB}\\u{1FE0}-\\u{1FEC}\\u{1FF2}-\\u{1FF4}' +
  '\\u{1FF6}-\\u{1FFC}\\u{200E}\\u{2071}\\u{207F}\\u{2102}\\u{2107}\\u{210A}-\\u{2113}\\u{2115}' +
  '\\u{2119}-\\u{211D}\\u{2124}\\u{2126}\\u{2128}\\u{212A}-\\u{212D}\\u{212F}-\\u{2131}' +
  '\\u{2133}-\\u{2139}\\u{213D}-\\u{213F}\\u{2145}-\\u{2149}\\u{2160}-\\u{2183}\\u{2336}-\\u{237A}' +
  '\\u{2395}\\u{249C}-\\u{24E9}\\u{3005}-\\u{3007}\\u{3021}-\\u{3029}\\u{3031}-\\u{3035}' +
  '\\u{3038}-\\u{303C}\\u{3041}-\\u{3096}\\u{309D}-\\u{309F}\\u{30A1}-\\u{30FA}\\u{30FC}-\\u{30FF}' +
  '\\u{3105}-\\u{312C}\\u{3131}-\\u{318E}\\u{3190}-\\u{31B7}\\u{31F0}-\\u{321C}\\u{3220}-\\u{3243}' +
  '\\u{3260}-\\u{327B}\\u{327F}-\\u{32B0}\\u{32C0}-\\u{32CB}\\u{32D0}-\\u{32FE}\\u{3300}-\\u{3376}' +
  '\\u{337B}-\\u{33DD}\\u{33E0}-\\u{33FE}\\u{3400}-\\u{4DB5}\\u{4E00}-\\u{9FA5}\\u{A000}-\\u{A48C}' +
  '\\u{AC00}-\\u{D7A3}\\u{D800}-\\u{FA2D}\\u{FA30}-\\u{FA6A}\\u{FB00}-\\u{FB06}\\u{FB13}-\\u{FB17}' +
  '\\u{FF21}-\\u{FF3A}\\u{FF41}-\\u{FF5A}\\u{FF66}-\\u{FFBE}\\u{FFC2}-\\u{FFC7}\\u{FFCA}-\\u{FFCF}' +
  '\\u{FFD2}-\\u{FFD7}\\u{FFDA}-\\u{FFDC}\\u{10300}-\\u{1031E}\\u{10320}-\\u{10323}' +
  '\\u{10330}-\\u{1034A}\\u{10400}-\\u{10425}\\u{10428}-\\u{1044D}\\u{1D000}-\\u{1D0F5}' +
  '\\u{1D100}-\\u{1D126}\\u{1D12A}-\\u{1D166}\\u{1D16A}-\\u{1D172}\\u{1D183}\\u{1D184}' +
  '\\u{1D18C}-\\u{1D1A9}\\u{1D1AE}-\\u{1D1DD}\\u{1D400}-\\u{1D454}\\u{1D456}-\\u{1D49C}' +
  '\\u{1D49E}\\u{1D49F}\\u{1D4A2}\\u{1D4A5}\\u{1D4A6}\\u{1D4A9}-\\u{1D4AC}\\u{1D4AE}-\\u{1D4B9}' +
  '\\u{1D4BB}\\u{1D4BD}-\\u{1D4C0}\\u{1D4C2}\\u{1D4C3}\\u{1D4C5}-\\u{1D505}\\u{1D507}-\\u{1D50A}' +
  '\\u{1D50D}-\\u{1D514}\\u{1D516}-\\u{1D51C}\\u{1D51E}-\\u{1D539}\\u{1D53B}-\\u{1D53E}' +
  '\\u{1D540}-\\u{1D544}\\u{1D546}\\u{1D54A}-\\u{1D550}\\u{1D552}-\\u{1D6A3}\\u{1D6A8}-\\u{1D7C9}' +
  '\\u{20000}-\\u{2A6D6}\\u{2F800}-\\u{2FA1D}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}' +
    ']',
);
