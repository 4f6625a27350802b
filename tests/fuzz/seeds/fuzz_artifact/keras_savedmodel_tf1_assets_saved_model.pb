©
"serveç


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
S
save/filenameConst*.
value%B#B/tmp/export/variables/variables*
dtype0
;
save/RestoreV2_1	RestoreV2save/filenamenamesslices
S
hash_table/ConstConst*+
value"B B/tmp/export/assets/vocab.txt*
dtype0
T
hash_table/table_initInitializeTableFromTextFileV2
hash_tablehash_table/Const"†
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
	RestoreV2	RestoreV2file_prefixnamesslices
save/filename:02!

hash_table/Const:0	vocab.txt