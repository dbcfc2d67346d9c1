// The xiangyue policy language: schema, lists, policies and rules, with English and Chinese keywords.
// Literal contents (dates, durations, amounts, citations) are validated later by the Spirit parsers.
grammar Xiangyue;

file : item* EOF ;

item : schemaBlock | listDecl | policyDecl | returnsDecl ;

// ---- schema ---------------------------------------------------------------------------------

schemaBlock : SCHEMA '{' schemaItem* '}' ;

schemaItem : enumDecl | structDecl | actionDecl ;

enumDecl : ENUM name ORDERED? '{' (name (sep name)* sep?)? '}' ;

structDecl : (ENTITY | RECORD) name '{' fieldList? '}' ;

actionDecl : ACTION name '{' fieldList? '}' ;

fieldList : fieldDecl (sep? fieldDecl)* sep? ;

fieldDecl : name colon typeRef SENSITIVE? ;

typeRef : SET '<' typeRef '>' optional='?'?
        | name optional='?'?
        ;

// ---- lists ----------------------------------------------------------------------------------

listDecl : LIST name ('(' fieldList ')')? basisClause? '{' (listItem (sep? listItem)* sep?)? '}' ;

listItem : STRING ('(' attrValue (sep attrValue)* sep? ')')? basisClause? ;

attrValue : name colon expr ;

// ---- returns: how the spreadsheets of a review map to an action's facts (xy review) -------------

// The roster gives one request per row; each department's return gives, per sheet, a set of
// records (or a flag: listed or not) keyed by the roster's id. Column titles are alternatives.
returnsDecl : RETURNS name FOR action=name '{' returnsItem* '}' ;

returnsItem : rosterBlock | departmentBlock | sourceItem ;

sourceItem : SOURCE name ;

rosterBlock : ROSTER '{' columnItem* '}' ;

// `for LABEL`: the department returns one file per value of a roster label (each township's
// office its own), each covering the candidates with that value.
departmentBlock : DEPARTMENT name titles? (FOR per=name)? '{' sheetBlock* '}' ;

sheetBlock : SHEET factPath titles? '{' columnItem* '}' ;

columnItem : role=(ID | BIRTH | LABEL | COLUMN) factPath? titles ;

titles : STRING (sep STRING)* ;

factPath : name ('.' name)* ;

// ---- policies and rules ---------------------------------------------------------------------

// Settings come before the rules, so an `effective` after a rule is always that rule's own.
policyDecl : POLICY name '{' policyItem* policyBody* '}' ;

policyBody : ruleDecl | schemaBlock | listDecl ;

policyItem : KIND name                      # kindItem
           | DEFAULT name                   # defaultItem
           | FOR name                       # forItem
           | SCOPE STRING                   # scopeItem
           | VERSION STRING                 # versionItem
           | effectiveClause                # effectiveItem
           | schemaBlock                    # schemaItemInPolicy
           | listDecl                       # listItemInPolicy
           ;

ruleDecl : RULE id=name (EXCEPTION_TO base=name)? effect=name target=name? ruleClause* ;

ruleClause : WHEN expr                      # whenClause
           | BECAUSE STRING                 # becauseClause
           | basisClause                    # basisRuleClause
           | effectiveClause                # effectiveRuleClause
           ;

basisClause : BASIS STRING ;

effectiveClause : EFFECTIVE from=dateLit (TO until=dateLit)? ;

dateLit : DATE ;

// ---- expressions (precedence from loosest to tightest) ---------------------------------------

// A quantifier is reached only through notExpr, so `any x in S: body` has one parse path.
expr : orExpr ;

quantifier : (ANY | ALL) var=name IN source=postfixExpr colon body=expr ;

orExpr : andExpr (OR andExpr)* ;

andExpr : notExpr (AND notExpr)* ;

notExpr : NOT notExpr
        | quantifier
        | cmpExpr
        ;

cmpExpr : addExpr (cmpOp addExpr)?                  # compare
        | addExpr NOT? IN addExpr                   # member
        | addExpr NOT_IN addExpr                    # notMember
        | addExpr IS NOT? NONE                      # isNone
        | addExpr IS SOME                           # isSome
        | addExpr HAS_VALUE                         # hasValue
        | addExpr NO_VALUE                          # noValue
        ;

cmpOp : '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '≥' | '≤' | '≠'
      | GT_WORD | LT_WORD | GE_WORD | LE_WORD | EQ_WORD | NE_WORD ;

addExpr : mulExpr (addOp mulExpr)* ;

addOp : '+' | '-' ;

mulExpr : unaryExpr (mulOp unaryExpr)* ;

mulOp : '*' | '/' | '×' | '÷' ;

unaryExpr : '-' unaryExpr
          | postfixExpr
          ;

postfixExpr : primary (postfixOp)* ;

postfixOp : '.' name                        # fieldAccess
          | '[' expr ']'                    # indexAccess
          ;

primary : literal                                                   # literalExpr
        | COUNT '(' var=name IN source=postfixExpr (colon body=expr)? ')'  # countExpr
        | name '(' (expr (sep expr)*)? ')'                          # callExpr
        | name                                                      # nameExpr
        | '(' expr ')'                                              # parenExpr
        | '[' (expr (sep expr)* sep?)? ']'                          # setExpr
        ;

literal : INT | DECIMAL | STRING | DATE | UNIT_NUMBER | CN_FRACTION | TRUE | FALSE ;

// Declaration keywords may also serve as names (a field called 类型 or 版本 is common); the
// keywords of expressions and rule clauses stay reserved.
name : IDENT | softKeyword ;

softKeyword : SCHEMA | ENUM | ORDERED | ENTITY | RECORD | ACTION | SET | SENSITIVE | LIST
            | POLICY | KIND | DEFAULT | SCOPE | VERSION | RETURNS | ROSTER | DEPARTMENT | SHEET
            | ID | BIRTH | LABEL | COLUMN | SOURCE ;

sep : ',' | '，' | '、' | ';' | '；' ;

colon : ':' | '：' ;

// ---- lexer: keywords (English | Chinese) ------------------------------------------------------

SCHEMA      : 'schema' | '结构' ;
ENUM        : 'enum' | '枚举' ;
ORDERED     : 'ordered' | '有序' ;
ENTITY      : 'entity' | '实体' ;
RECORD      : 'record' | '记录' ;
ACTION      : 'action' | '行为' ;
SET         : 'set' | '集合' ;
SENSITIVE   : 'sensitive' | '敏感' ;
LIST        : 'list' | '清单' ;
POLICY      : 'policy' | '政策' ;
KIND        : 'kind' | '类型' ;
DEFAULT     : 'default' | '默认' ;
FOR         : 'for' | '针对' ;
SCOPE       : 'scope' | '范围' ;
VERSION     : 'version' | '版本' ;
RETURNS     : 'returns' | '报送' ;
ROSTER      : 'roster' | '名册' ;
DEPARTMENT  : 'department' | '部门' ;
SHEET       : 'sheet' | '工作表' ;
ID          : 'id' | '身份证' ;
BIRTH       : 'birth' | '出生' ;
LABEL       : 'label' | '标注' ;
COLUMN      : 'column' | '列' ;
SOURCE      : 'source' | '来源' ;
RULE        : 'rule' | '规则' ;
EXCEPTION_TO: 'exception' [ \t]+ 'to' | '例外于' ;
WHEN        : 'when' | '当' | '如果' ;
BECAUSE     : 'because' | '理由' ;
BASIS       : 'basis' | '依据' ;
EFFECTIVE   : 'effective' | '生效' ;
TO          : 'to' | '至' ;
ANY         : 'any' | '任一' ;
ALL         : 'all' | '所有' | '每个' ;
COUNT       : 'count' | '计数' ;
IN          : 'in' | '属于' ;
NOT_IN      : '不属于' ;
IS          : 'is' ;
SOME        : 'some' ;
NONE        : 'none' ;
HAS_VALUE   : '有值' ;
NO_VALUE    : '无值' ;
AND         : 'and' | '且' | '并且' ;
OR          : 'or' | '或' | '或者' ;
NOT         : 'not' | '非' ;
TRUE        : 'true' | '真' ;
FALSE       : 'false' | '假' ;
// The comparison words have English forms too, so a policy can be written wholly in either language
// and `xy fmt --keywords` can turn one into the other and back.
GT_WORD     : 'more' [ \t]+ 'than' | '超过' | '大于' ;
LT_WORD     : 'less' [ \t]+ 'than' | '不满' | '小于' ;
GE_WORD     : 'at' [ \t]+ 'least' | '不少于' | '不低于' | '不小于' ;
LE_WORD     : 'at' [ \t]+ 'most' | '不超过' | '不高于' | '不大于' ;
EQ_WORD     : 'equals' | '等于' ;
NE_WORD     : 'not' [ \t]+ 'equal' [ \t]+ 'to' | '不等于' ;

// ---- lexer: literals ------------------------------------------------------------------------

DATE        : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT? '-' DIGIT DIGIT?
            | DIGIT DIGIT DIGIT DIGIT '年' DIGIT DIGIT? '月' DIGIT DIGIT? '日'
            ;
// A Chinese unit follows its number directly (3 年龄 stays a number and a name); an English
// unit may be spaced (5 years). Several parts may follow: 1年6个月, 1年零6个月.
UNIT_NUMBER : DIGIT+ ('.' DIGIT+)? (CN_UNIT | [ \t]* EN_UNIT) ('零'? DIGIT+ CN_UNIT)* ;
fragment CN_UNIT : '年' | '个月' | '月' | '日' | '天' | '周' | '元' | '万元' | '万' | '亿元' | '亿' ;
fragment EN_UNIT : 'years' | 'year' | 'months' | 'month' | 'days' | 'day' | 'weeks' | 'week' ;

CN_FRACTION : CN_DIGIT+ '分之' CN_DIGIT+ ;
fragment CN_DIGIT : [零一二两三四五六七八九十百千] ;
DECIMAL     : DIGIT+ '.' DIGIT+ ;
INT         : DIGIT+ ;
fragment DIGIT : [0-9] ;

STRING      : '"' (~["\\\r\n] | '\\' .)* '"'
            | '“' (~[”\r\n])* '”'
            | '「' (~[」\r\n])* '」'
            ;

IDENT       : ID_START ID_PART* ;
fragment ID_START : [\p{L}] | '_' ;
fragment ID_PART  : [\p{L}] | [\p{N}] | '_' ;

// Comments are kept on the hidden channel: the parser never sees them, the formatter and the
// language server do.
LINE_COMMENT  : ('#' | '//') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\u3000\uFEFF]+ -> skip ;

// Any other character becomes a token the parser rejects, so the error is located.
ERROR_CHAR  : . ;
