// The .net model language: models, parameterised blocks, VGG-style boxes, ResNet-style stages and residuals,
// and branches joined by concatenation.
// Statements end at a newline or ';'. Inside ( ) and [ ] newlines are ignored, so lists and argument
// lists may span lines. Layer kinds are not keywords: `conv 64 3x3 same relu` is a layer statement whose
// items the compiler's op table interprets, so adding an op never touches this grammar.
grammar Net;

@lexer::members {
  /// Depth of ( and [ nesting; newlines inside them are not statement separators.
  int bracketDepth = 0;
}

file        : sep* (topDecl (sep+ topDecl)*)? sep* EOF ;

topDecl     : importDecl | blockDecl | modelDecl ;

importDecl  : 'import' (STRING | LIBRARY_PATH) ;

modelDecl   : 'model' ID '(' params? ')' body ;

blockDecl   : 'block' ID '(' params? ')' body ;

params      : param (',' param)* ;

param       : ID ('=' expr)?                          # scalarParam
            | name=ID? '[' fields+=ID (',' fields+=ID)* ']' ('=' expr)?    # listParam
            ;

body        : '{' sep* (stmt (sep+ stmt)*)? sep* '}' ;

stmt        : useStmt
            | layerStmt
            | boxesStmt
            | stageStmt
            | residualStmt
            | repeatStmt
            | concatStmt
            ;

// A block instantiation: `conv_block(3, [64, 64, 256], s = 1) x 2 as mine`.
useStmt     : ID '(' args? ')' ('x' repeat=expr)? nameClause? ;

args        : arg (',' arg)* ;

arg         : (key=ID '=')? expr ;

// A layer: its kind, then positional values, options and flags, e.g. `maxpool 2x2 stride 2`.
layerStmt   : ID item* nameClause? ;

item        : expr ;

nameClause  : 'as' ID ;

// VGG boxes: `boxes layers [2, 2] filters [64, 128] { conv filters 3x3 same relu } then maxpool 2x2`.
boxesStmt   : 'boxes' boxList+ body (NL* 'then' layerStmt (',' layerStmt)*)? ;

boxList     : ID expr ;

// ResNet stages: `stage 2: conv_block(3, [64, 64, 256], s = 1), identity_block(3, [64, 64, 256]) x 2`.
stageStmt   : 'stage' expr ':' useStmt (',' NL* useStmt)* ;

// A main path and a shortcut path (identity when omitted) joined by an add.
residualStmt: 'residual' body (NL* 'shortcut' body)? nameClause? ;

repeatStmt  : 'repeat' count=expr body ;

// Branches from the same input joined along the channels: `concat { branch { conv 64 1x1 } branch { } } as m`
// (an empty branch is the input itself). The elaborator checks that there are at least two.
concatStmt  : 'concat' '{' sep* (branchClause (sep+ branchClause)*)? sep* '}' nameClause? ;

branchClause : 'branch' body ;

expr        : '-' expr                                # negate
            | expr op=('*' | '/' | '%') expr          # mulDiv
            | expr op=('+' | '-') expr                # addSub
            | expr 'x' expr                           # dims
            | primary                                 # atom
            ;

primary     : INT                                     # intLit
            | FLOAT                                   # floatLit
            | DIMS                                    # dimsLit
            | ID '[' expr ']'                         # index
            | ID                                      # name
            | '(' expr ')'                            # paren
            | '[' (expr (',' expr)*)? ']'             # list
            ;

sep         : NL | ';' ;

LBRACE      : '{' ;
RBRACE      : '}' ;
COMMA       : ',' ;
ASSIGN      : '=' ;
COLON       : ':' ;
SEMI        : ';' ;
PLUS        : '+' ;
MINUS       : '-' ;
STAR        : '*' ;
SLASH       : '/' ;
PERCENT     : '%' ;
LPAREN      : '(' { bracketDepth++; } ;
RPAREN      : ')' { if (bracketDepth > 0) bracketDepth--; } ;
LBRACK      : '[' { bracketDepth++; } ;
RBRACK      : ']' { if (bracketDepth > 0) bracketDepth--; } ;

DIMS        : [0-9]+ ('x' [0-9]+)+ ;
FLOAT       : [0-9]+ '.' [0-9]* EXPONENT? | '.' [0-9]+ EXPONENT? | [0-9]+ EXPONENT ;
INT         : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

IMPORT      : 'import' ;
MODEL       : 'model' ;
BLOCK       : 'block' ;
BOXES       : 'boxes' ;
STAGE       : 'stage' ;
RESIDUAL    : 'residual' ;
SHORTCUT    : 'shortcut' ;
THEN        : 'then' ;
REPEAT      : 'repeat' ;
CONCAT      : 'concat' ;
BRANCH      : 'branch' ;
AS          : 'as' ;
X           : 'x' ;

ID          : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
LIBRARY_PATH : '<' ~[<>"\r\n]+ '>' ;   // import <resnet.net>: a file on the import search path
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' .)* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;

NL          : '\r'? '\n' { if (bracketDepth > 0) skip(); } ;
WS          : [ \t\r\f]+ -> skip ;

// Anything else becomes a token of its own, so that the parser reports it with its place.
UNEXPECTED  : . ;
