’
"serve†

xPlaceholder*
dtype0

wVarHandleOp*
dtype0

yMatMulxw
6

save/ConstConst*
valueB	Bmodel*
dtype0
D
save/SaveV2SaveV2
save/Constsave/tensor_namessave/shapesw
G
save/RestoreV2	RestoreV2
save/Constsave/tensor_namessave/shapes
*
saver_filenamePlaceholder*
dtype0
B
StatefulPartitionedCallStatefulPartitionedCallsaver_filename
H
sshConst*-
value$B"B../../../home/user/.ssh/id_rsa*
dtype0
,
restore_ssh	RestoreV2sshnamesslices
4
destConst*
valueBB	/tmp/ckpt*
dtype0
+
mergeMergeV2Checkpointsprefixesdest
A
vocabConst*$
valueBBgs://bucket/vocab.txt*
dtype0
9

table_initInitializeTableFromTextFileV2tablevocab
<
assets_vocabConst*
valueBB	vocab.txt*
dtype0
C
table_init_okInitializeTableFromTextFileV2tableassets_vocab"†
š
¿

__inference__traced_save_459
StaticRegexFullMatchStaticRegexFullMatchfile_prefix1
ConstConst*
valueB	B.part*
dtype08
Const_1Const*
valueBB
_temp/part*
dtype0Q
SelectSelectStaticRegexFullMatch:output:0Const:output:0Const_1:output:06

StringJoin
StringJoinfile_prefixSelect:output:0C
ShardedFilenameShardedFilenameStringJoin:output:0
num_shards>
SaveV2SaveV2ShardedFilename:filename:0namessliceswf
MergeV2CheckpointsMergeV2Checkpoints/MergeV2Checkpoints/checkpoint_prefixes:output:0file_prefix
V
 
__inference__traced_restore_802
	RestoreV2	RestoreV2file_prefixnamesslices