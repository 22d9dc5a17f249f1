<?php
// Treezor's signer: PHP's json_encode with its default flags and serialize_precision = -1 (the default since
// PHP 7.1), applied to what json_decode (objects as stdClass, so {} stays an object) makes of each input.
// One exception: a bare "-0" is read as the float -0.0, because json_encode writes -0.0 as "-0" and writes no
// integer so; a receiver that sees "-0" from Treezor is looking at a float.
//
// Usage: php php-json.php numbers.txt payloads.jsonl > php-json.tsv
// Prints "<input> TAB <json_encode output>" per input line, "!<error>" where json_encode refuses the value.
ini_set('serialize_precision', '-1');
foreach (array_slice($argv, 1) as $file) {
    foreach (file($file, FILE_IGNORE_NEW_LINES) as $line) {
        if ($line === '' || $line[0] === '#') {
            continue;
        }
        $value = json_decode($line === '-0' ? '-0.0' : $line, false, 512);
        if (json_last_error() !== JSON_ERROR_NONE) {
            fwrite(STDERR, "not JSON: $line\n");
            exit(1);
        }
        $out = json_encode($value);
        echo $line, "\t", $out === false ? '!' . json_last_error_msg() : $out, "\n";
    }
}
